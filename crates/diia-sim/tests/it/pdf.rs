//! PDF copies of every test document: well-formed, and (where poppler is installed) rendered to
//! PNG and extracted back to text with the Cyrillic names intact.

use std::process::Command;

use diia_sim::pdf::{CopyContext, render_copy};

fn have(tool: &str) -> bool {
    Command::new(tool).arg("-v").output().is_ok()
}

#[test]
fn every_document_copy_renders_and_keeps_its_cyrillic_text() {
    let dir = match std::env::var_os("DIIA_SIM_PDF_OUT") {
        Some(d) => std::path::PathBuf::from(d),
        None => std::env::temp_dir().join(format!("diia-sim-pdf-{}", std::process::id())),
    };
    std::fs::create_dir_all(&dir).unwrap();
    let poppler = have("pdftoppm") && have("pdftotext");
    if !poppler {
        eprintln!("poppler-utils not installed: checking PDF structure only");
    }
    for person in diia_sim::persons::test_persons() {
        for doc in &person.documents {
            let ctx = CopyContext {
                holder: &person.full_name,
                request_id: "5d0c7f0e-91a4-4c7e-8d7b-2f1e0b6a9c33",
                barcode: "2858364170864",
                generated_at: time::macros::datetime!(2026-12-03 16:00:00 UTC),
            };
            let pdf = render_copy(doc, &ctx).unwrap();
            assert!(
                pdf.starts_with(b"%PDF-") && pdf.ends_with(b"%%EOF\n") || pdf.ends_with(b"%%EOF")
            );
            let path = dir.join(format!("{}.pdf", doc.id));
            std::fs::write(&path, &pdf).unwrap();
            if !poppler {
                continue;
            }
            let out = Command::new("pdftotext").arg(&path).arg("-").output().unwrap();
            assert!(out.status.success(), "pdftotext failed on {}", doc.id);
            let text = String::from_utf8(out.stdout).unwrap();
            assert!(text.contains(&person.full_name), "{}: holder name in text:\n{text}", doc.id);
            assert!(text.contains("5d0c7f0e-91a4-4c7e-8d7b-2f1e0b6a9c33"));
            let png = dir.join(doc.id.clone());
            let st = Command::new("pdftoppm")
                .args(["-png", "-r", "40", "-singlefile"])
                .arg(&path)
                .arg(&png)
                .status()
                .unwrap();
            assert!(st.success(), "pdftoppm failed on {}", doc.id);
        }
    }
    if std::env::var_os("DIIA_SIM_PDF_OUT").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
}
