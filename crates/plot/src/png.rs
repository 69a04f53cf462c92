//! A small PNG encoder for 8-bit RGB pictures.
//!
//! plotters' own PNG path only writes to a file, and the `image` crate behind it is not a direct
//! dependency, so the bytes are encoded here. The zlib stream uses one fixed-Huffman deflate
//! block (RFC 1951 §3.2.6) with back-references to the previous byte, the previous pixel and the
//! row above: a chart is mostly flat background, which those three distances compress well.

/// PNG's eight-byte signature.
pub const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

/// Encodes `rgb` (row-major, 3 bytes a pixel, `width * height * 3` bytes) as a PNG file.
pub(crate) fn encode_rgb(width: u32, height: u32, rgb: &[u8]) -> Vec<u8> {
    let row = width as usize * 3;
    // Every scanline starts with its filter type; 0 ("None") leaves the bytes as they are.
    let mut raw = Vec::with_capacity((row + 1) * height as usize);
    for line in rgb.chunks(row.max(1)).take(height as usize) {
        raw.push(0);
        raw.extend_from_slice(line);
    }

    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    // bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);

    let mut out = SIGNATURE.to_vec();
    write_chunk(&mut out, b"IHDR", &ihdr);
    write_chunk(&mut out, b"IDAT", &zlib(&raw, row + 1));
    write_chunk(&mut out, b"IEND", &[]);
    out
}

fn write_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(kind.iter().chain(data));
    out.extend_from_slice(&crc.to_be_bytes());
}

/// CRC-32 (ISO 3309, reflected polynomial 0xEDB88320) as PNG chunks need it.
pub(crate) fn crc32<'a>(bytes: impl IntoIterator<Item = &'a u8>) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut n = 0;
        while n < 256 {
            let mut c = n as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
                k += 1;
            }
            table[n] = c;
            n += 1;
        }
        table
    };
    let crc = bytes.into_iter().fold(0xFFFF_FFFFu32, |c, &b| {
        TABLE[((c ^ b as u32) & 0xFF) as usize] ^ (c >> 8)
    });
    crc ^ 0xFFFF_FFFF
}

/// Adler-32, the zlib trailer: two running sums modulo 65521.
pub(crate) fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    // 5552 bytes is the most that can be summed before b may overflow u32.
    for block in bytes.chunks(5552) {
        for &x in block {
            a += x as u32;
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    (b << 16) | a
}

/// A zlib stream (RFC 1950) holding `data` in one fixed-Huffman deflate block.
fn zlib(data: &[u8], row_len: usize) -> Vec<u8> {
    // CMF 0x78: deflate with a 32 KiB window; FLG 0x01 makes 0x7801 a multiple of 31.
    let mut bits = BitWriter {
        out: vec![0x78, 0x01],
        acc: 0,
        n: 0,
    };
    bits.put(1, 1); // BFINAL: the only block
    bits.put(1, 2); // BTYPE 01: fixed Huffman codes

    // Deflate allows distances up to 32768; a wider picture just loses the row-above match.
    let distances = [1, 3, row_len];
    let mut pos = 0;
    while pos < data.len() {
        let best = distances
            .iter()
            .filter(|&&d| d <= pos && d <= 32768)
            .map(|&d| (match_len(data, pos, d), d))
            .max_by_key(|&(len, _)| len);
        match best {
            Some((len, dist)) if len >= 3 => {
                bits.put_length(len);
                bits.put_distance(dist);
                pos += len;
            }
            _ => {
                bits.put_literal(data[pos] as u16);
                pos += 1;
            }
        }
    }
    bits.put_literal(256); // end of block
    let mut out = bits.finish();
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

/// How many bytes from `pos` repeat those `dist` bytes earlier (at most 258, deflate's limit).
fn match_len(data: &[u8], pos: usize, dist: usize) -> usize {
    let max = (data.len() - pos).min(258);
    (0..max)
        .take_while(|&i| data[pos + i] == data[pos + i - dist])
        .count()
}

const LEN_BASE: [usize; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LEN_EXTRA: [u32; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DIST_BASE: [usize; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u32; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];

/// Index of the last base not above `value` (the tables are sorted).
fn code_index(bases: &[usize], value: usize) -> usize {
    bases.iter().rposition(|&b| b <= value).unwrap_or(0)
}

/// Deflate's bit order: values least-significant bit first, Huffman codes most-significant first.
struct BitWriter {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl BitWriter {
    fn put(&mut self, value: u32, count: u32) {
        self.acc |= (value as u64) << self.n;
        self.n += count;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    fn put_code(&mut self, code: u32, len: u32) {
        self.put(code.reverse_bits() >> (32 - len), len);
    }

    /// The fixed literal/length code of RFC 1951 §3.2.6.
    fn put_literal(&mut self, sym: u16) {
        let sym = sym as u32;
        match sym {
            0..=143 => self.put_code(0x30 + sym, 8),
            144..=255 => self.put_code(0x190 + sym - 144, 9),
            256..=279 => self.put_code(sym - 256, 7),
            _ => self.put_code(0xC0 + sym - 280, 8),
        }
    }

    fn put_length(&mut self, len: usize) {
        let i = code_index(&LEN_BASE, len);
        self.put_literal(257 + i as u16);
        self.put((len - LEN_BASE[i]) as u32, LEN_EXTRA[i]);
    }

    fn put_distance(&mut self, dist: usize) {
        let i = code_index(&DIST_BASE, dist);
        self.put_code(i as u32, 5);
        self.put((dist - DIST_BASE[i]) as u32, DIST_EXTRA[i]);
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_match_published_check_values() {
        // The CRC-32 "check" value for "123456789" (Rocksoft catalogue): 0xCBF43926.
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        // Adler-32 of "Wikipedia" from the algorithm's worked example: 0x11E60398.
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
    }

    #[test]
    fn length_and_distance_codes_pick_the_right_base() {
        assert_eq!(LEN_BASE[code_index(&LEN_BASE, 258)], 258); // code 285, no extra bits
        assert_eq!(LEN_BASE[code_index(&LEN_BASE, 257)], 227); // code 284 + 30
        assert_eq!(DIST_BASE[code_index(&DIST_BASE, 1921)], 1537);
    }

    #[test]
    fn flat_picture_compresses() {
        let (w, h) = (200u32, 100u32);
        let png = encode_rgb(w, h, &vec![255; (w * h * 3) as usize]);
        assert_eq!(png[..8], SIGNATURE);
        // 60,100 raw bytes of white: runs of 258 cost ~2 bytes each.
        assert!(png.len() < 2_000, "{} bytes", png.len());
    }
}
