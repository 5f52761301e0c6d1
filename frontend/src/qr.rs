//! A QR code drawn in the page as SVG: the server encodes it (its dark
//! modules as one path), the page only draws it, so the account app
//! carries no QR encoder.

use leptos::prelude::*;

/// The code `path` (unit squares in a `width`-wide box) as an image named
/// `label` for screen readers.
pub fn view(path: String, width: u32, label: &'static str) -> impl IntoView {
    view! {
        <svg class="qr" viewBox=format!("0 0 {width} {width}") role="img" aria-label=label
            shape-rendering="crispEdges">
            <rect width=width.to_string() height=width.to_string() fill="#fff" />
            <path d=path fill="#000" />
        </svg>
    }
}
