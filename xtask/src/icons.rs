//! The app's icons, drawn from one source (`app/pwa/icon.svg`) into `app/pwa/icons/` before
//! trunk copies them: the manifest's 192 and 512 px icons (`any`: the SVG as drawn; `maskable`:
//! on a full square of the manifest's theme colour, which the launcher crops), the
//! apple-touch-icon (full square: iOS rounds it itself) and `favicon.ico` (a 32 px PNG in an ICO
//! container, which every browser reads).

use std::path::Path;

use resvg::{tiny_skia, usvg};

use crate::util::{root, Result};

/// Draws every icon; skipped when they are newer than the SVG and the manifest.
pub fn write() -> Result {
    let dir = root().join("app/pwa");
    let out = dir.join("icons");
    let sources = [dir.join("icon.svg"), dir.join("manifest.webmanifest")];
    let newest = sources
        .iter()
        .filter_map(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
        .max();
    let made = std::fs::metadata(out.join("favicon.ico"))
        .and_then(|m| m.modified())
        .ok();
    if let (Some(s), Some(m)) = (newest, made) {
        if m > s {
            return Ok(());
        }
    }
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let svg = std::fs::read(&sources[0]).map_err(|e| e.to_string())?;
    let tree = usvg::Tree::from_data(&svg, &usvg::Options::default())
        .map_err(|e| format!("app/pwa/icon.svg: {e}"))?;
    let bleed = theme_colour(&sources[1])?;
    for (name, size, full) in [
        ("icon-192.png", 192, false),
        ("icon-512.png", 512, false),
        ("maskable-192.png", 192, true),
        ("maskable-512.png", 512, true),
        ("apple-touch-icon.png", 180, true),
    ] {
        let png = draw(&tree, size, full.then_some(bleed))?;
        std::fs::write(out.join(name), png).map_err(|e| e.to_string())?;
    }
    std::fs::copy(&sources[0], out.join("icon.svg")).map_err(|e| e.to_string())?;
    let png = draw(&tree, 32, None)?;
    std::fs::write(out.join("favicon.ico"), ico(&png, 32)).map_err(|e| e.to_string())
}

/// The manifest's `theme_color` (`#rrggbb`), the maskable icons' background.
fn theme_colour(manifest: &Path) -> Result<[u8; 3]> {
    let text = std::fs::read_to_string(manifest).map_err(|e| e.to_string())?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let hex = json["theme_color"]
        .as_str()
        .and_then(|s| s.strip_prefix('#'))
        .filter(|h| h.len() == 6)
        .ok_or("the manifest's theme_color is not #rrggbb")?;
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|e| e.to_string());
    Ok([byte(0)?, byte(2)?, byte(4)?])
}

fn draw(tree: &usvg::Tree, size: u32, background: Option<[u8; 3]>) -> Result<Vec<u8>> {
    let mut pixmap = tiny_skia::Pixmap::new(size, size).ok_or("an empty icon size")?;
    if let Some([r, g, b]) = background {
        pixmap.fill(tiny_skia::Color::from_rgba8(r, g, b, 255));
    }
    #[allow(clippy::cast_precision_loss)]
    let scale = size as f32 / tree.size().width();
    resvg::render(
        tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| e.to_string())
}

/// An ICO file holding one PNG image (Windows Vista's format, read by every browser).
fn ico(png: &[u8], size: u8) -> Vec<u8> {
    let mut out = Vec::with_capacity(22 + png.len());
    out.extend_from_slice(&[0, 0, 1, 0, 1, 0]);
    out.extend_from_slice(&[size, size, 0, 0, 1, 0, 32, 0]);
    out.extend_from_slice(&u32::try_from(png.len()).unwrap_or(0).to_le_bytes());
    out.extend_from_slice(&22u32.to_le_bytes());
    out.extend_from_slice(png);
    out
}
