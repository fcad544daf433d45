//! What the format targets share: the invariants every import keeps.
#![allow(dead_code)] // each target uses what it needs

use jixiao::import::{Format, import_bytes};

/// Imports `bytes` as `format`: never a panic, and whatever is imported is
/// TOML whose origins lie inside the readable text.
pub fn imports(format: Format, bytes: &[u8]) {
    for i in import_bytes(format, "fuzz", bytes).into_iter().flatten() {
        assert!(toml::from_str::<toml::Table>(&i.toml).is_ok(), "{}", i.toml);
        for o in i.origins.values() {
            assert!(o.span.start <= o.span.end && o.span.end <= i.display.len());
        }
    }
}

/// An OLE compound file holding `streams` (name, bytes).
pub fn compound(streams: &[(&str, &[u8])]) -> Vec<u8> {
    let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    for (name, bytes) in streams {
        let mut s = file.create_stream(format!("/{name}")).unwrap();
        std::io::Write::write_all(&mut s, bytes).unwrap();
    }
    file.into_inner().into_inner()
}

/// `data` cut in two at the place its first two bytes give.
pub fn halves(data: &[u8]) -> (&[u8], &[u8]) {
    if data.len() < 2 {
        return (data, &[]);
    }
    let at = usize::from(u16::from_le_bytes([data[0], data[1]])) % (data.len() - 1) + 2;
    (&data[2..at.min(data.len())], &data[at.min(data.len())..])
}
