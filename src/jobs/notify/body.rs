//! A message's text and HTML alternatives, written from what it says
//! (user text escaped in HTML, never markup).

pub(super) const STOP: &str = "To stop emails like this one";

/// What a message says, before it is written as text and as HTML.
pub(super) struct Body<'a> {
    pub name: &'a str,
    pub opening: &'a str,
    pub details: &'a [(&'static str, String)],
    pub link: Option<&'a str>,
    /// A digest's lines, under the name of their forum.
    pub sections: &'a [(String, Vec<String>)],
}

impl Body<'_> {
    pub fn plain(&self, stop: Option<&str>) -> String {
        let mut body = format!("Hello {},\n\n{}\n\n", self.name, self.opening);
        for (label, value) in self.details {
            body.push_str(&format!("{label}: {value}\n"));
        }
        for (forum, lines) in self.sections {
            body.push_str(&format!("{forum}\n"));
            for line in lines {
                body.push_str(&format!("- {line}\n"));
            }
            body.push('\n');
        }
        if let Some(link) = self.link {
            body.push_str(&format!("\n{link}\n"));
        }
        body.push_str("\n-- \nConvene\n");
        if let Some(stop) = stop {
            body.push_str(&format!("{STOP}: {stop}\n"));
        }
        body
    }

    pub fn html(&self, stop: Option<&str>) -> String {
        let mut body = format!(
            "<!DOCTYPE html>\n<html><body>\n<p>Hello {},</p>\n<p>{}</p>\n",
            escape(self.name),
            escape(self.opening)
        );
        if !self.details.is_empty() {
            body.push_str("<table>\n");
            for (label, value) in self.details {
                body.push_str(&format!(
                    "<tr><th align=\"left\">{}</th><td>{}</td></tr>\n",
                    escape(label),
                    escape(value)
                ));
            }
            body.push_str("</table>\n");
        }
        for (forum, lines) in self.sections {
            body.push_str(&format!("<h3>{}</h3>\n<ul>\n", escape(forum)));
            for line in lines {
                body.push_str(&format!("<li>{}</li>\n", escape(line)));
            }
            body.push_str("</ul>\n");
        }
        if let Some(link) = self.link {
            body.push_str(&format!("<p><a href=\"{0}\">{0}</a></p>\n", escape(link)));
        }
        body.push_str("<p>Convene</p>\n");
        if let Some(stop) = stop {
            body.push_str(&format!(
                "<p><small><a href=\"{}\">{STOP}</a></small></p>\n",
                escape(stop)
            ));
        }
        body.push_str("</body></html>\n");
        body
    }
}

/// Text as HTML shows it, never as markup.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_never_becomes_markup() {
        assert_eq!(
            escape(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
    }
}
