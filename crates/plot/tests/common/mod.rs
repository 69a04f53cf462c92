//! A PNG reader for the tests, written from the specs (PNG, RFC 1950, RFC 1951) apart from the
//! crate's encoder: it handles what a baseline encoder may produce for 8-bit RGB, meaning
//! stored and fixed-Huffman deflate blocks and all five scanline filters.

/// A decoded picture: `rgb` has `width * height * 3` bytes.
pub struct Picture {
    pub width: u32,
    pub height: u32,
    pub rgb: Vec<u8>,
}

impl Picture {
    pub fn pixel(&self, x: u32, y: u32) -> [u8; 3] {
        let i = (y as usize * self.width as usize + x as usize) * 3;
        [self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]]
    }
}

pub fn decode_png(bytes: &[u8]) -> Result<Picture, String> {
    if bytes.get(..8) != Some(&[0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'][..]) {
        return Err("no PNG signature".into());
    }
    let (mut pos, mut header, mut idat) = (8, None, Vec::new());
    while pos + 12 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[pos..pos + 4].try_into().unwrap()) as usize;
        let kind = &bytes[pos + 4..pos + 8];
        let data = bytes
            .get(pos + 8..pos + 8 + len)
            .ok_or("chunk past the end")?;
        let crc = u32::from_be_bytes(bytes[pos + 8 + len..pos + 12 + len].try_into().unwrap());
        if crc != crc32(&bytes[pos + 4..pos + 8 + len]) {
            return Err(format!("bad CRC in {}", String::from_utf8_lossy(kind)));
        }
        match kind {
            b"IHDR" => header = Some(data.to_vec()),
            b"IDAT" => idat.extend_from_slice(data),
            b"IEND" => break,
            _ => {}
        }
        pos += 12 + len;
    }
    let h = header.ok_or("no IHDR")?;
    let width = u32::from_be_bytes(h[0..4].try_into().unwrap());
    let height = u32::from_be_bytes(h[4..8].try_into().unwrap());
    if h[8..13] != [8, 2, 0, 0, 0] {
        return Err(format!("not 8-bit RGB non-interlaced: {:?}", &h[8..13]));
    }
    let raw = zlib_decompress(&idat)?;
    let stride = width as usize * 3;
    if raw.len() != (stride + 1) * height as usize {
        return Err(format!(
            "{} decompressed bytes for {width}x{height}",
            raw.len()
        ));
    }
    let mut rgb = vec![0u8; stride * height as usize];
    for y in 0..height as usize {
        let filter = raw[y * (stride + 1)];
        for i in 0..stride {
            let x = raw[y * (stride + 1) + 1 + i];
            let a = if i >= 3 { rgb[y * stride + i - 3] } else { 0 };
            let b = if y > 0 { rgb[(y - 1) * stride + i] } else { 0 };
            let c = if y > 0 && i >= 3 {
                rgb[(y - 1) * stride + i - 3]
            } else {
                0
            };
            let predicted = match filter {
                0 => 0,
                1 => a,
                2 => b,
                3 => ((a as u16 + b as u16) / 2) as u8,
                4 => paeth(a, b, c),
                f => return Err(format!("filter type {f}")),
            };
            rgb[y * stride + i] = x.wrapping_add(predicted);
        }
    }
    Ok(Picture { width, height, rgb })
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = a as i16 + b as i16 - c as i16;
    let (pa, pb, pc) = (
        (p - a as i16).abs(),
        (p - b as i16).abs(),
        (p - c as i16).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

struct Bits<'a> {
    data: &'a [u8],
    pos: usize, // in bits
}

impl Bits<'_> {
    fn bit(&mut self) -> Result<u32, String> {
        let byte = self
            .data
            .get(self.pos / 8)
            .ok_or("deflate stream ends early")?;
        let b = (byte >> (self.pos % 8)) & 1;
        self.pos += 1;
        Ok(b as u32)
    }
    /// `n` bits, least significant first (extra bits, header fields).
    fn value(&mut self, n: u32) -> Result<u32, String> {
        (0..n).try_fold(0, |v, i| Ok(v | (self.bit()? << i)))
    }
    /// One more bit appended to a Huffman code, which is sent most significant bit first.
    fn code(&mut self, code: u32) -> Result<u32, String> {
        Ok((code << 1) | self.bit()?)
    }
}

/// The fixed literal/length code of RFC 1951 §3.2.6, decoded bit by bit.
fn fixed_litlen(bits: &mut Bits) -> Result<u32, String> {
    let mut code = 0;
    for _ in 0..7 {
        code = bits.code(code)?;
    }
    if code <= 0b0010111 {
        return Ok(256 + code);
    }
    code = bits.code(code)?;
    match code {
        0x30..=0xBF => return Ok(code - 0x30),
        0xC0..=0xC7 => return Ok(280 + code - 0xC0),
        _ => {}
    }
    code = bits.code(code)?;
    Ok(144 + code - 0x190)
}

const LEN_BASE: [usize; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const DIST_BASE: [usize; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];

fn len_extra(i: usize) -> u32 {
    if (8..28).contains(&i) {
        (i as u32 - 4) / 4
    } else {
        0
    }
}

fn dist_extra(i: usize) -> u32 {
    if i >= 4 {
        (i as u32 - 2) / 2
    } else {
        0
    }
}

pub fn zlib_decompress(data: &[u8]) -> Result<Vec<u8>, String> {
    if data.len() < 6 || data[0] & 0x0F != 8 || (data[0] as u16 * 256 + data[1] as u16) % 31 != 0 {
        return Err("bad zlib header".into());
    }
    let mut bits = Bits {
        data: &data[2..],
        pos: 0,
    };
    let mut out: Vec<u8> = Vec::new();
    loop {
        let last = bits.bit()?;
        match bits.value(2)? {
            0 => {
                bits.pos = bits.pos.div_ceil(8) * 8;
                let len = bits.value(16)? as usize;
                let _nlen = bits.value(16)?;
                let start = bits.pos / 8;
                out.extend_from_slice(bits.data.get(start..start + len).ok_or("stored block")?);
                bits.pos += len * 8;
            }
            1 => loop {
                let sym = fixed_litlen(&mut bits)? as usize;
                if sym < 256 {
                    out.push(sym as u8);
                    continue;
                }
                if sym == 256 {
                    break;
                }
                let li = sym - 257;
                let len = LEN_BASE.get(li).ok_or("bad length code")?
                    + bits.value(len_extra(li))? as usize;
                let mut di = 0;
                for _ in 0..5 {
                    di = bits.code(di)?;
                }
                let di = di as usize;
                let dist = DIST_BASE.get(di).ok_or("bad distance code")?
                    + bits.value(dist_extra(di))? as usize;
                if dist > out.len() {
                    return Err(format!("distance {dist} before the start"));
                }
                for _ in 0..len {
                    out.push(out[out.len() - dist]);
                }
            },
            t => return Err(format!("block type {t} not supported by this test decoder")),
        }
        if last == 1 {
            break;
        }
    }
    let end = 2 + bits.pos.div_ceil(8);
    let adler = data.get(end..end + 4).ok_or("no Adler-32 trailer")?;
    let (mut a, mut b) = (1u32, 0u32);
    for &x in &out {
        a = (a + x as u32) % 65521;
        b = (b + a) % 65521;
    }
    if u32::from_be_bytes(adler.try_into().unwrap()) != (b << 16 | a) {
        return Err("Adler-32 mismatch".into());
    }
    Ok(out)
}
