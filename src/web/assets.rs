//! The design system's stylesheets and scripts (GOV.UK Frontend and MOJ
//! Frontend, vendored by `assets/vendor.sh`), built into the binary and
//! served under names that carry a hash of their contents. A name changes
//! when its file does, so a browser may keep a file for a year without ever
//! asking again (`immutable`), and a page always names the file it was
//! written for.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::{Digest, Sha256};
use tower_http::compression::CompressionLayer;

use crate::kernel::error::ApiError;
use crate::kernel::state::AppState;

/// Where the assets are served.
pub const PREFIX: &str = "/assets";

/// A file as it is built in: the name pages use for it, its type and bytes.
struct Source {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

const CSS: &str = "text/css; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";

const SOURCES: [Source; 5] = [
    Source {
        name: "govuk-frontend.min.css",
        content_type: CSS,
        bytes: include_bytes!("assets/vendor/govuk-frontend.min.css"),
    },
    Source {
        name: "govuk-frontend.min.js",
        content_type: JS,
        bytes: include_bytes!("assets/vendor/govuk-frontend.min.js"),
    },
    Source {
        name: "moj-frontend.min.css",
        content_type: CSS,
        bytes: include_bytes!("assets/vendor/moj-frontend.min.css"),
    },
    Source {
        name: "moj-frontend.min.js",
        content_type: JS,
        bytes: include_bytes!("assets/vendor/moj-frontend.min.js"),
    },
    Source {
        name: "convene.css",
        content_type: CSS,
        bytes: include_bytes!("assets/convene.css"),
    },
];

/// A built-in file under its hashed name (`govuk-frontend.min.3f2a9c0d1e.css`).
pub struct Asset {
    pub path: String,
    content_type: &'static str,
    bytes: &'static [u8],
}

/// The hashed name of each file, by the name pages use, worked out once.
static ASSETS: LazyLock<HashMap<&'static str, Asset>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .map(|source| {
            let digest = Sha256::digest(source.bytes);
            let hash: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
            let (stem, extension) = source.name.rsplit_once('.').unwrap_or((source.name, ""));
            let asset = Asset {
                path: format!("{PREFIX}/{stem}.{hash}.{extension}"),
                content_type: source.content_type,
                bytes: source.bytes,
            };
            (source.name, asset)
        })
        .collect()
});

/// The URL path of a built-in file, for a page to link to; `None` for a
/// name that is not one.
pub fn path_of(name: &str) -> Option<&'static str> {
    ASSETS.get(name).map(|asset| asset.path.as_str())
}

/// Every built-in file, for tests and budgets.
pub fn all() -> impl Iterator<Item = (&'static str, &'static Asset)> {
    ASSETS.iter().map(|(name, asset)| (*name, asset))
}

impl Asset {
    pub fn bytes(&self) -> &'static [u8] {
        self.bytes
    }

    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

/// Serves the files under their hashed names, compressed (gzip or brotli) for
/// a browser that asks. Any other name is a 404: an old hash names a file
/// this build does not have.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(&format!("{PREFIX}/{{name}}"), get(serve))
        .layer(CompressionLayer::new().gzip(true).br(true))
}

async fn serve(Path(name): Path<String>) -> Result<Response, ApiError> {
    let wanted = format!("{PREFIX}/{name}");
    let asset = ASSETS
        .values()
        .find(|asset| asset.path == wanted)
        .ok_or_else(|| ApiError::NotFound(format!("no asset `{name}`")))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(asset.content_type),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
        ],
        asset.bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_file_has_a_name_that_carries_its_hash() {
        let css = path_of("govuk-frontend.min.css").expect("built in");
        assert!(css.starts_with("/assets/govuk-frontend.min."));
        assert!(css.ends_with(".css"));
        assert_eq!(css.len(), "/assets/govuk-frontend.min..css".len() + 10);
        assert_eq!(path_of("nothing.css"), None);
    }
}
