//! The size every compressed stream of a PDF unpacks to, measured before
//! the file is parsed: `lopdf` inflates object streams while it loads a
//! file, and font maps and content streams when they are asked for, each
//! whole and without a bound, so a few MB of FlateDecode can ask for
//! gigabytes. Here each stream the reader may unpack (all but images and
//! embedded font programs, which it never unpacks) is decoded through its
//! filters into a counter, never into memory past the cap, and a file with
//! a stream over [`STREAM_BYTES`] or streams over [`ALL_BYTES`] in all is
//! refused before anything is built.

/// What one stream may unpack to: far beyond any page's content, font map
/// or object stream an office program writes.
pub const STREAM_BYTES: usize = 32 << 20;
/// What all the streams of one file may unpack to together.
pub const ALL_BYTES: usize = 256 << 20;

/// Why a file's streams are refused.
#[derive(Debug, PartialEq, Eq)]
pub enum TooLarge {
    Stream,
    All,
}

impl TooLarge {
    pub fn message(&self) -> String {
        match self {
            TooLarge::Stream => format!(
                "PDF 中有一个数据流解压后超过上限（{} MB），远超正常文档，未读取",
                STREAM_BYTES >> 20
            ),
            TooLarge::All => format!(
                "PDF 中的数据流解压后共超过上限（{} MB），远超正常文档，未读取",
                ALL_BYTES >> 20
            ),
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

/// The filters a stream's dictionary names, in decoding order.
fn filters(dict: &[u8]) -> Vec<&'static str> {
    let Some(at) = find(dict, b"/Filter") else {
        return Vec::new();
    };
    let rest = &dict[at + 7..];
    let rest = &rest[..rest.len().min(200)];
    let text = String::from_utf8_lossy(rest);
    let value = text.trim_start();
    let names: Vec<&str> = if let Some(list) = value.strip_prefix('[') {
        list.split(']').next().unwrap_or("").split('/').collect()
    } else {
        // One name, up to the next key or the end of the dictionary.
        value
            .strip_prefix('/')
            .map(|v| {
                v.split(|c: char| c == '/' || c == '>' || c.is_whitespace())
                    .next()
                    .unwrap_or("")
            })
            .into_iter()
            .collect()
    };
    let mut out = Vec::new();
    for n in names {
        let n = n.trim_matches(|c: char| c.is_whitespace() || c == '/');
        out.push(match n {
            "FlateDecode" | "Fl" => "flate",
            "LZWDecode" | "LZW" => "lzw",
            "ASCII85Decode" | "A85" => "a85",
            "" => continue,
            _ => "other",
        });
    }
    if out.is_empty() {
        // A filter given indirectly: unpacked as FlateDecode, the common
        // case, to be measured at all.
        out.push("flate");
    }
    out
}

/// Whether the reader never unpacks a stream with this dictionary.
fn never_unpacked(dict: &[u8]) -> bool {
    [
        &b"/Image"[..],
        b"/Length1",
        b"/Length2",
        b"/Length3",
        b"/Type1C",
        b"/CIDFontType0C",
        b"/OpenType",
        b"/EmbeddedFile",
        b"/Metadata",
    ]
    .iter()
    .any(|k| find(dict, k).is_some())
}

/// Reads `from` into `out` up to `cap + 1` bytes (enough to tell it is
/// over), or only counts them when `out` is None.
fn drain(mut from: impl std::io::Read, out: Option<&mut Vec<u8>>, cap: usize) -> usize {
    let mut buf = [0u8; 16 * 1024];
    let mut n = 0usize;
    let mut out = out;
    while n <= cap {
        match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(k) => {
                n += k;
                if let Some(o) = out.as_deref_mut() {
                    o.extend_from_slice(&buf[..k]);
                }
            }
        }
    }
    n
}

/// ASCII85 decoded (enough of it for a measure; damaged input ends it).
fn a85(input: &[u8], cap: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut group, mut count) = (0u32, 0);
    for &c in input {
        if out.len() > cap {
            break;
        }
        match c {
            b'~' => break,
            b'z' if count == 0 => out.extend_from_slice(&[0; 4]),
            b'!'..=b'u' => {
                group = group.wrapping_mul(85).wrapping_add(u32::from(c - b'!'));
                count += 1;
                if count == 5 {
                    out.extend_from_slice(&group.to_be_bytes());
                    (group, count) = (0, 0);
                }
            }
            _ => {}
        }
    }
    out
}

/// The bytes a stream's data unpacks to through `filters`, counted up to
/// just past `cap`.
fn unpacked(data: &[u8], filters: &[&str], cap: usize) -> usize {
    let mut current: Vec<u8>;
    let mut input = data;
    for (i, f) in filters.iter().enumerate() {
        let last = i + 1 == filters.len();
        let mut next = Vec::new();
        let keep = (!last).then_some(&mut next);
        let n = match *f {
            "flate" => {
                let n = drain(flate2::read::ZlibDecoder::new(input), keep, cap);
                if n == 0 && input.len() > 2 {
                    // As lopdf does: raw deflate when the zlib header is bad.
                    let mut next2 = Vec::new();
                    let keep = (!last).then_some(&mut next2);
                    let n = drain(flate2::read::DeflateDecoder::new(&input[2..]), keep, cap);
                    next = next2;
                    n
                } else {
                    n
                }
            }
            "lzw" => {
                let mut decoder =
                    weezl::decode::Decoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8);
                let mut sink = Vec::new();
                let mut n = 0usize;
                let mut rest = input;
                let mut buf = vec![0u8; 64 * 1024];
                while n <= cap && !rest.is_empty() {
                    let r = decoder.decode_bytes(rest, &mut buf);
                    n += r.consumed_out;
                    if !last {
                        sink.extend_from_slice(&buf[..r.consumed_out]);
                    }
                    rest = &rest[r.consumed_in..];
                    if !matches!(r.status, Ok(weezl::LzwStatus::Ok)) {
                        break;
                    }
                }
                next = sink;
                n
            }
            "a85" => {
                next = a85(input, cap);
                next.len()
            }
            // lopdf unpacks no other filter: the data stays as it is.
            _ => return input.len(),
        };
        if n > cap || last {
            return n;
        }
        current = next;
        input = &current;
    }
    input.len()
}

/// Measures every stream of `file` the reader may unpack.
pub fn check(file: &[u8]) -> Result<(), TooLarge> {
    let mut total = 0usize;
    let mut at = 0usize;
    while let Some(i) = find(&file[at..], b"stream") {
        let start = at + i;
        at = start + 6;
        if file[..start].ends_with(b"end") {
            continue;
        }
        // The data starts after the end of the line.
        let mut data = at;
        if file.get(data) == Some(&b'\r') {
            data += 1;
        }
        if file.get(data) == Some(&b'\n') {
            data += 1;
        }
        if data == at {
            continue;
        }
        // The stream's dictionary: what stands between its object's
        // `obj` and here.
        let before = &file[start.saturating_sub(8 * 1024)..start];
        let dict = match memchr::memmem::rfind(before, b"obj") {
            Some(o) => &before[o..],
            None => before,
        };
        let end = find(&file[data..], b"endstream").map_or(file.len(), |e| data + e);
        at = end.max(at);
        if never_unpacked(dict) || find(dict, b"/Filter").is_none() {
            continue;
        }
        let n = unpacked(&file[data..end], &filters(dict), STREAM_BYTES);
        if n > STREAM_BYTES {
            return Err(TooLarge::Stream);
        }
        total += n;
        if total > ALL_BYTES {
            return Err(TooLarge::All);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    fn deflated(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    fn file_with(dict: &str, data: &[u8]) -> Vec<u8> {
        let mut f = format!("%PDF-1.4\n4 0 obj\n<< {dict} >>\nstream\n").into_bytes();
        f.extend_from_slice(data);
        f.extend_from_slice(b"\nendstream\nendobj\n");
        f
    }

    #[test]
    fn a_stream_that_unpacks_past_the_cap_is_refused_without_unpacking_it() {
        let big = deflated(&vec![b' '; STREAM_BYTES + 10]);
        assert_eq!(
            check(&file_with("/Filter /FlateDecode", &big)),
            Err(TooLarge::Stream)
        );
        // Behind ASCII85 too.
        let mut a = Vec::new();
        for chunk in big.chunks(4) {
            let mut g = [0u8; 4];
            g[..chunk.len()].copy_from_slice(chunk);
            let mut v = u32::from_be_bytes(g);
            let mut digits = [0u8; 5];
            for d in digits.iter_mut().rev() {
                *d = (v % 85) as u8 + b'!';
                v /= 85;
            }
            a.extend_from_slice(&digits[..chunk.len() + 1]);
        }
        a.extend_from_slice(b"~>");
        assert_eq!(
            check(&file_with("/Filter [/ASCII85Decode /FlateDecode]", &a)),
            Err(TooLarge::Stream)
        );
        // An image is never unpacked by the reader.
        assert_eq!(
            check(&file_with("/Subtype /Image /Filter /FlateDecode", &big)),
            Ok(())
        );
    }

    #[test]
    fn ordinary_streams_pass() {
        let small = deflated(b"BT /F1 12 Tf (abc) Tj ET");
        assert_eq!(check(&file_with("/Filter /FlateDecode", &small)), Ok(()));
        assert_eq!(filters(b"/Length 5 /Filter/FlateDecode>>"), vec!["flate"]);
        assert_eq!(filters(b"/Filter [ /A85 /Fl ]"), vec!["a85", "flate"]);
    }
}
