//! The PDF copy of a shared document, laid out like a Diia copy: header, document title, holder,
//! labelled fields, a neutral photo placeholder, request id and time. DejaVu Sans is embedded
//! (subset, CID-keyed with a ToUnicode map) so Cyrillic renders and can be copied as text.

use std::collections::BTreeMap;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use serde_json::Value;
use subsetter::GlyphRemapper;
use time::OffsetDateTime;

use crate::SimError;
use crate::persons::{Document, field_label, type_title};

static REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 50.0;

const SYSTEM_INFO: SystemInfo<'static> =
    SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };

/// Everything the copy shows besides the document itself.
#[derive(Debug, Clone)]
pub struct CopyContext<'a> {
    /// Holder's full name.
    pub holder: &'a str,
    /// The partner's request id.
    pub request_id: &'a str,
    /// The share code used (empty for a deeplink request, which has none).
    pub barcode: &'a str,
    /// When the copy was generated.
    pub generated_at: OffsetDateTime,
}

/// A font in use on the page: glyphs are remapped as text is laid out, then the font is subset.
struct FontUse {
    data: &'static [u8],
    face: ttf_parser::Face<'static>,
    remap: GlyphRemapper,
    /// new glyph id → (old glyph id, character) for widths and the ToUnicode map.
    used: BTreeMap<u16, (u16, char)>,
    resource: Name<'static>,
    base: Name<'static>,
}

impl FontUse {
    fn new(
        data: &'static [u8],
        resource: Name<'static>,
        base: Name<'static>,
    ) -> Result<Self, SimError> {
        let face = ttf_parser::Face::parse(data, 0)
            .map_err(|e| SimError::Render(format!("embedded font does not parse: {e}")))?;
        Ok(Self { data, face, remap: GlyphRemapper::new(), used: BTreeMap::new(), resource, base })
    }

    fn old_gid(&self, ch: char) -> u16 {
        self.face.glyph_index(ch).map_or(0, |g| g.0)
    }

    fn advance(&self, old: u16) -> f32 {
        let adv = self.face.glyph_hor_advance(ttf_parser::GlyphId(old)).unwrap_or(0);
        f32::from(adv) * 1000.0 / f32::from(self.face.units_per_em())
    }

    /// Width of `text` at `size` points.
    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(self.old_gid(c))).sum::<f32>() * size / 1000.0
    }

    /// Encodes `text` as 2-byte CIDs (= new glyph ids), registering the glyphs.
    fn encode(&mut self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() * 2);
        for ch in text.chars() {
            let old = self.old_gid(ch);
            let new = self.remap.remap(old);
            self.used.entry(new).or_insert((old, ch));
            out.extend_from_slice(&new.to_be_bytes());
        }
        out
    }

    /// Writes the Type0 font, its CID font, descriptor, subset font file and ToUnicode map.
    fn write(&self, pdf: &mut Pdf, alloc: &mut Ref, type0: Ref) -> Result<(), SimError> {
        let (cid, desc, file, cmap_id) = (alloc.bump(), alloc.bump(), alloc.bump(), alloc.bump());
        pdf.type0_font(type0)
            .base_font(self.base)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(cmap_id);
        let mut cid_font = pdf.cid_font(cid);
        cid_font
            .subtype(CidFontType::Type2)
            .base_font(self.base)
            .system_info(SYSTEM_INFO)
            .font_descriptor(desc)
            .default_width(0.0)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        {
            let mut widths = cid_font.widths();
            for (new, (old, _)) in &self.used {
                widths.consecutive(*new, [self.advance(*old)]);
            }
        }
        cid_font.finish();

        let upem = f32::from(self.face.units_per_em());
        let scale = |v: i16| f32::from(v) * 1000.0 / upem;
        let bb = self.face.global_bounding_box();
        pdf.font_descriptor(desc)
            .name(self.base)
            .flags(FontFlags::SYMBOLIC)
            .bbox(Rect::new(scale(bb.x_min), scale(bb.y_min), scale(bb.x_max), scale(bb.y_max)))
            .italic_angle(0.0)
            .ascent(scale(self.face.ascender()))
            .descent(scale(self.face.descender()))
            .cap_height(scale(self.face.capital_height().unwrap_or(self.face.ascender())))
            .stem_v(80.0)
            .font_file2(file);

        let subset = subsetter::subset(self.data, 0, &self.remap)
            .map_err(|e| SimError::Render(format!("font subsetting failed: {e}")))?;
        let len = i32::try_from(subset.len()).unwrap_or(i32::MAX);
        pdf.stream(file, &subset).pair(Name(b"Length1"), len);

        let mut cmap = pdf_writer::types::UnicodeCmap::new(Name(b"Custom"), SYSTEM_INFO);
        for (new, (_, ch)) in &self.used {
            cmap.pair(*new, *ch);
        }
        pdf.cmap(cmap_id, &cmap.finish());
        Ok(())
    }
}

/// Page builder keeping the current baseline.
struct Page {
    content: Content,
    regular: FontUse,
    bold: FontUse,
}

impl Page {
    fn text(&mut self, bold: bool, size: f32, x: f32, y: f32, text: &str, grey: f32) {
        let font = if bold { &mut self.bold } else { &mut self.regular };
        let bytes = font.encode(text);
        self.content.set_fill_rgb(grey, grey, grey);
        self.content.begin_text();
        self.content.set_font(font.resource, size);
        self.content.next_line(x, y);
        self.content.show(Str(&bytes));
        self.content.end_text();
    }

    /// Splits `text` into lines no wider than `max` points at `size`.
    fn wrap(&self, bold: bool, size: f32, text: &str, max: f32) -> Vec<String> {
        let font = if bold { &self.bold } else { &self.regular };
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate =
                if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
            if font.width(&candidate, size) > max && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line = word.to_string();
            } else {
                line = candidate;
            }
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        lines
    }
}

/// Flattens metadata into (label, value) pairs, nested objects as "parent · label".
fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    let Some(obj) = v.as_object() else { return };
    for (k, val) in obj {
        if k == "id" || k == "fileName" {
            continue;
        }
        let label = field_label(k);
        let label =
            if prefix.is_empty() { label.to_string() } else { format!("{prefix} · {label}") };
        match val {
            Value::String(s) if !s.is_empty() => out.push((label, s.clone())),
            Value::Number(n) => out.push((label, n.to_string())),
            Value::Object(_) => flatten(&label, val, out),
            _ => {}
        }
    }
}

/// Renders the PDF copy of `doc`.
pub fn render_copy(doc: &Document, ctx: &CopyContext<'_>) -> Result<Vec<u8>, SimError> {
    let mut page = Page {
        content: Content::new(),
        regular: FontUse::new(REGULAR, Name(b"F1"), Name(b"VIKNOA+DejaVuSans"))?,
        bold: FontUse::new(BOLD, Name(b"F2"), Name(b"VIKNOB+DejaVuSans-Bold"))?,
    };

    // Header band.
    page.content.set_fill_rgb(0.0, 0.0, 0.0);
    page.content.rect(0.0, PAGE_H - 70.0, PAGE_W, 70.0);
    page.content.fill_nonzero();
    page.text(true, 26.0, MARGIN, PAGE_H - 47.0, "Дія", 1.0);
    page.text(
        false,
        10.0,
        MARGIN + 70.0,
        PAGE_H - 40.0,
        "Копія документа, поширена з застосунку",
        1.0,
    );
    page.text(false, 10.0, MARGIN + 70.0, PAGE_H - 54.0, "ТЕСТОВИЙ ДОКУМЕНТ · симулятор Дії", 1.0);

    let mut y = PAGE_H - 110.0;
    let title_lines = page.wrap(true, 16.0, type_title(&doc.doc_type), 360.0);
    for line in title_lines {
        page.text(true, 16.0, MARGIN, y, &line, 0.0);
        y -= 20.0;
    }
    y -= 4.0;
    page.text(false, 12.0, MARGIN, y, ctx.holder, 0.1);

    // Photo placeholder, top right: a neutral box, never a face.
    let (px, py, pw, ph) = (PAGE_W - MARGIN - 120.0, PAGE_H - 250.0, 120.0, 150.0);
    page.content.set_fill_rgb(0.93, 0.93, 0.93);
    page.content.rect(px, py, pw, ph);
    page.content.fill_nonzero();
    page.content.set_stroke_rgb(0.6, 0.6, 0.6);
    page.content.set_line_width(0.8);
    page.content.rect(px, py, pw, ph);
    page.content.stroke();
    page.text(false, 9.0, px + 22.0, py + ph / 2.0 + 4.0, "Фото не", 0.45);
    page.text(false, 9.0, px + 22.0, py + ph / 2.0 - 8.0, "передається", 0.45);

    // Labelled fields, left column beside the photo, then full width below it.
    let mut fields = Vec::new();
    flatten("", &doc.metadata, &mut fields);
    y -= 30.0;
    for (label, value) in &fields {
        if y < 110.0 {
            break;
        }
        let max = if y > py - 10.0 { px - MARGIN - 20.0 } else { PAGE_W - 2.0 * MARGIN };
        page.text(false, 8.0, MARGIN, y, label, 0.45);
        y -= 13.0;
        for line in page.wrap(false, 11.0, value, max) {
            page.text(false, 11.0, MARGIN, y, &line, 0.0);
            y -= 14.0;
        }
        y -= 6.0;
    }

    // Footer with the request.
    let when = format!(
        "{:02}.{:02}.{} {:02}:{:02}:{:02} UTC",
        ctx.generated_at.day(),
        u8::from(ctx.generated_at.month()),
        ctx.generated_at.year(),
        ctx.generated_at.hour(),
        ctx.generated_at.minute(),
        ctx.generated_at.second()
    );
    page.content.set_stroke_rgb(0.7, 0.7, 0.7);
    page.content.rect(MARGIN, 92.0, PAGE_W - 2.0 * MARGIN, 0.5);
    page.content.stroke();
    page.text(false, 9.0, MARGIN, 76.0, &format!("Ідентифікатор запиту: {}", ctx.request_id), 0.25);
    // A deeplink (offer) request has no share code: the line is left out.
    if !ctx.barcode.is_empty() {
        page.text(false, 9.0, MARGIN, 63.0, &format!("Код: {}", ctx.barcode), 0.25);
    }
    page.text(false, 9.0, MARGIN, 50.0, &format!("Сформовано: {when}"), 0.25);

    let mut alloc = Ref::new(1);
    let (catalog, tree, page_id, content_id, info) =
        (alloc.bump(), alloc.bump(), alloc.bump(), alloc.bump(), alloc.bump());
    let (f1, f2) = (alloc.bump(), alloc.bump());
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids([page_id]).count(1);
    {
        let mut p = pdf.page(page_id);
        p.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H)).parent(tree).contents(content_id);
        p.resources().fonts().pair(page.regular.resource, f1).pair(page.bold.resource, f2);
    }
    let title = format!("{} — копія", type_title(&doc.doc_type));
    pdf.document_info(info).title(TextStr(&title)).producer(TextStr("Vikno diia-sim"));
    let Page { content, regular, bold } = page;
    pdf.stream(content_id, &content.finish());
    regular.write(&mut pdf, &mut alloc, f1)?;
    bold.write(&mut pdf, &mut alloc, f2)?;
    Ok(pdf.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_a_copy_with_embedded_subset_fonts() {
        let persons = crate::persons::test_persons();
        let doc = &persons[0].documents[0];
        let ctx = CopyContext {
            holder: &persons[0].full_name,
            request_id: "0b7c1e8e-3d55-4d6f-9d1b-3a2f7c9e0a11",
            barcode: "2858364170864",
            generated_at: time::macros::datetime!(2026-12-03 16:00:00 UTC),
        };
        let pdf = render_copy(doc, &ctx).expect("renders");
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.len() < 200_000, "fonts are subset, got {} bytes", pdf.len());
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/FontFile2"));
        assert!(text.contains("/ToUnicode"));
    }
}
