//! Writes the spec as YAML that every reader understands the same way.
//!
//! A YAML 1.2 writer leaves `yes`, `no`, `on`, `off`, `y` and `n` unquoted,
//! and YAML 1.1 readers (PyYAML and many client generators) then read the
//! RSVP enum as booleans. This writer leaves a string plain only when it
//! starts with a letter (so it can be no number, date or indicator) and is
//! not one of the words either version reads as a boolean or null; anything
//! else is quoted.

use yaml_serde::Value;

/// The document as block-style YAML.
pub fn to_string(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Mapping(map) if !map.is_empty() => write_mapping(&mut out, map, 0, false),
        Value::Sequence(seq) if !seq.is_empty() => write_sequence(&mut out, seq, 0, false),
        other => {
            out.push_str(&scalar(other, 0));
            out.push('\n');
        }
    }
    out
}

fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

fn write_mapping(out: &mut String, map: &yaml_serde::Mapping, indent: usize, inline: bool) {
    for (i, (key, value)) in map.iter().enumerate() {
        if i > 0 || !inline {
            pad(out, indent);
        }
        out.push_str(&key_text(key));
        out.push(':');
        match untagged(value) {
            Value::Mapping(inner) if !inner.is_empty() => {
                out.push('\n');
                write_mapping(out, inner, indent + 2, false);
            }
            // Sequences under a key sit at the key's own indentation.
            Value::Sequence(inner) if !inner.is_empty() => {
                out.push('\n');
                write_sequence(out, inner, indent, false);
            }
            other => {
                out.push(' ');
                out.push_str(&scalar(other, indent + 2));
                out.push('\n');
            }
        }
    }
}

fn write_sequence(out: &mut String, seq: &[Value], indent: usize, inline: bool) {
    for (i, item) in seq.iter().enumerate() {
        if i > 0 || !inline {
            pad(out, indent);
        }
        out.push_str("- ");
        match untagged(item) {
            Value::Mapping(inner) if !inner.is_empty() => {
                write_mapping(out, inner, indent + 2, true);
            }
            Value::Sequence(inner) if !inner.is_empty() => {
                write_sequence(out, inner, indent + 2, true);
            }
            other => {
                out.push_str(&scalar(other, indent + 2));
                out.push('\n');
            }
        }
    }
}

/// The spec holds no tags; should one appear, its value is what matters.
fn untagged(value: &Value) -> &Value {
    match value {
        Value::Tagged(tagged) => untagged(&tagged.value),
        other => other,
    }
}

fn key_text(key: &Value) -> String {
    match untagged(key) {
        Value::String(s) if is_plain_safe(s) => s.clone(),
        Value::String(s) => quoted(s),
        other => quoted(&scalar(other, 0)),
    }
}

/// A scalar, or an empty collection, as it follows `key: ` or `- `.
fn scalar(value: &Value, indent: usize) -> String {
    match untagged(value) {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if is_plain_safe(s) => s.clone(),
        Value::String(s) if fits_literal_block(s) => literal_block(s, indent),
        Value::String(s) => quoted(s),
        Value::Sequence(_) => "[]".into(),
        Value::Mapping(_) => "{}".into(),
        Value::Tagged(_) => "null".into(),
    }
}

/// Words that YAML 1.1 or 1.2 reads as a boolean or null when plain.
const RESERVED: [&str; 11] = [
    "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "",
];

/// Whether a string can be written without quotes and read back, by YAML
/// 1.1 and 1.2 readers alike, as the same string.
pub fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let lower = s.to_lowercase();
    (first.is_alphabetic() || matches!(first, '$' | '/' | '_' | '('))
        && !RESERVED.contains(&lower.as_str())
        && !s.ends_with([' ', ':'])
        && !s.contains(": ")
        && !s.contains(" #")
        && s.chars().all(is_plain_char)
}

fn is_plain_char(c: char) -> bool {
    !c.is_control() && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// Multi-line text that a `|` block gives back exactly.
fn fits_literal_block(s: &str) -> bool {
    let body = s.strip_suffix('\n').unwrap_or(s);
    body.contains('\n')
        && !body.ends_with('\n')
        && body
            .lines()
            .find(|line| !line.is_empty())
            .is_some_and(|line| !line.starts_with(' '))
        && body.lines().all(|line| {
            !line.ends_with([' ', '\t']) && line.chars().all(|c| c == '\t' || is_plain_char(c))
        })
        && !body.contains('\r')
}

fn literal_block(s: &str, indent: usize) -> String {
    let (body, header) = match s.strip_suffix('\n') {
        Some(body) => (body, "|"),
        None => (s, "|-"),
    };
    let mut out = String::from(header);
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.extend(std::iter::repeat_n(' ', indent));
            out.push_str(line);
        }
    }
    out
}

/// Single quotes where nothing needs escaping, double quotes otherwise.
fn quoted(s: &str) -> String {
    if s.chars().all(is_plain_char) {
        return format!("'{}'", s.replace('\'', "''"));
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_plain_char(c) => out.push(c),
            c if u32::from(c) <= 0xffff => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push_str(&format!("\\U{:08x}", u32::from(c))),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(value: &Value) -> Value {
        let text = to_string(value);
        yaml_serde::from_str(&text).unwrap_or_else(|err| panic!("{err}:\n{text}"))
    }

    #[test]
    fn words_yaml_1_1_reads_as_booleans_are_quoted() {
        for word in [
            "yes", "No", "ON", "off", "y", "N", "true", "False", "null", "~",
        ] {
            assert!(!is_plain_safe(word), "{word}");
            assert!(to_string(&Value::String(word.into())).starts_with('\''));
        }
        for word in [
            "maybe",
            "yesterday",
            "north-east",
            "$ref",
            "application/json",
        ] {
            assert!(is_plain_safe(word), "{word}");
        }
    }

    #[test]
    fn numbers_dates_and_indicators_are_quoted() {
        for text in [
            "200",
            "0.1.0",
            "2026-03-31",
            "1_000",
            "0x1f",
            ".inf",
            "#/a",
            "- a",
            "*",
        ] {
            assert!(!is_plain_safe(text), "{text}");
        }
    }

    #[test]
    fn every_kind_of_string_reads_back_as_written() {
        let doc: Value = yaml_serde::from_str(
            r#"
            enum: ["yes", "no", "maybe"]
            required: ["yes", "no"]
            "200": {description: "a: b #c", empty: "", nested: [[1, 2], {}, []]}
            text: "line one\n\n  indented\nlast\n"
            ends: "no newline\nat the end"
            spaced: " leading and trailing "
            trailing: "a line \nwith trailing space"
            control: "nul\u0000 del\u007f bell\u0007 tab\t"
            quote: "it's \"quoted\""
            numbers: [1, -2, 3.5, true, null]
            "#,
        )
        .expect("test document");

        assert_eq!(round_trip(&doc), doc);
    }

    #[test]
    fn the_spec_reads_back_as_written() {
        let doc = yaml_serde::to_value(crate::api::openapi::document()).expect("spec");
        assert_eq!(round_trip(&doc), doc);
    }
}
