//! Low-level pieces of the model file: a bounds-checked reader, a writer, CRC-32 and Rice-coded
//! sorted integer sets.
//!
//! Every read is checked against the bytes that are actually there, so truncated or corrupt
//! input gives an [`Error`] and never a panic or an allocation larger than the input.

use crate::Error;

/// CRC-32 (IEEE 802.3, the one zlib and PNG use), table built at compile time.
const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xedb8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
};

/// The CRC-32 (IEEE 802.3, reflected) of `bytes`: the checksum a model file's header holds
/// for its payload.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut c = !0u32;
    for &b in bytes {
        c = CRC_TABLE[((c ^ b as u32) & 0xff) as usize] ^ (c >> 8);
    }
    !c
}

/// Reads little-endian values from a byte slice, failing cleanly at its end.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, pos: 0 }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.pos == self.bytes.len()
    }

    pub(crate) fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], Error> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len())
            .ok_or_else(|| Error::model(format!("model file is truncated (in {what})")))?;
        let out = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    pub(crate) fn u8(&mut self, what: &str) -> Result<u8, Error> {
        Ok(self.take(1, what)?[0])
    }

    pub(crate) fn u32(&mut self, what: &str) -> Result<u32, Error> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub(crate) fn f32(&mut self, what: &str) -> Result<f32, Error> {
        let v = f32::from_bits(self.u32(what)?);
        if v.is_finite() {
            Ok(v)
        } else {
            Err(Error::model(format!(
                "model file has a non-finite number in {what}"
            )))
        }
    }

    /// A length that must not exceed what is left (each element at least `unit` bytes).
    pub(crate) fn len(&mut self, unit: usize, what: &str) -> Result<usize, Error> {
        let n = self.u32(what)? as usize;
        if n.saturating_mul(unit.max(1)) > self.bytes.len() - self.pos {
            return Err(Error::model(format!("model file is truncated (in {what})")));
        }
        Ok(n)
    }

    /// A length-prefixed byte string.
    pub(crate) fn bytes(&mut self, what: &str) -> Result<&'a [u8], Error> {
        let n = self.len(1, what)?;
        self.take(n, what)
    }

    pub(crate) fn u16s(&mut self, what: &str) -> Result<Vec<u16>, Error> {
        let n = self.len(2, what)?;
        let b = self.take(n * 2, what)?;
        Ok(b.chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect())
    }

    pub(crate) fn f32s(&mut self, n: usize, what: &str) -> Result<Vec<f32>, Error> {
        (0..n).map(|_| self.f32(what)).collect()
    }
}

/// Appends little-endian values to a byte vector.
#[derive(Default)]
pub(crate) struct Writer {
    pub(crate) bytes: Vec<u8>,
}

impl Writer {
    pub(crate) fn u8(&mut self, v: u8) {
        self.bytes.push(v);
    }

    pub(crate) fn u32(&mut self, v: u32) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    pub(crate) fn f32(&mut self, v: f32) {
        self.u32(v.to_bits());
    }

    pub(crate) fn bytes(&mut self, b: &[u8]) {
        self.u32(b.len() as u32);
        self.bytes.extend_from_slice(b);
    }

    pub(crate) fn u16s(&mut self, v: &[u16]) {
        self.u32(v.len() as u32);
        for &x in v {
            self.bytes.extend_from_slice(&x.to_le_bytes());
        }
    }
}

/// Encodes a strictly increasing sequence with Rice codes of the gaps: about
/// `log2(mean gap) + 1.5` bits per value. Returns the Rice parameter and the bits.
pub(crate) fn rice_encode(sorted: &[u32]) -> (u8, Vec<u8>) {
    let span = sorted.last().map_or(0, |&l| l as u64 + 1);
    let mean = (span / (sorted.len() as u64).max(1)).max(1);
    let k = (63 - mean.leading_zeros()).min(31) as u8;
    let mut bits = BitWriter::default();
    let mut prev = 0u64;
    for (i, &v) in sorted.iter().enumerate() {
        let gap = if i == 0 {
            v as u64
        } else {
            v as u64 - prev - 1
        };
        prev = v as u64;
        let q = gap >> k;
        for _ in 0..q {
            bits.push(1);
        }
        bits.push(0);
        for b in 0..k {
            bits.push(((gap >> b) & 1) as u8);
        }
    }
    (k, bits.bytes)
}

/// Decodes `n` values written by [`rice_encode`]; errors if the bits run out or a value
/// overflows `u32`.
pub(crate) fn rice_decode(k: u8, bytes: &[u8], n: usize, what: &str) -> Result<Vec<u32>, Error> {
    let bad = || Error::model(format!("model file has a corrupt {what}"));
    if k > 31 {
        return Err(bad());
    }
    let total_bits = bytes.len() as u64 * 8;
    let mut pos = 0u64;
    let bit = |pos: u64| (bytes[(pos >> 3) as usize] >> (pos & 7)) & 1;
    let mut out = Vec::with_capacity(n.min(bytes.len() * 8));
    let mut prev: i64 = -1;
    for _ in 0..n {
        let mut q = 0u64;
        loop {
            if pos >= total_bits {
                return Err(bad());
            }
            let b = bit(pos);
            pos += 1;
            if b == 0 {
                break;
            }
            q += 1;
        }
        if pos + k as u64 > total_bits {
            return Err(bad());
        }
        let mut r = 0u64;
        for b in 0..k as u64 {
            r |= (bit(pos) as u64) << b;
            pos += 1;
        }
        if q > u32::MAX as u64 {
            return Err(bad());
        }
        let gap = (q << k) | r;
        let v = prev + 1 + gap as i64;
        if v > u32::MAX as i64 {
            return Err(bad());
        }
        out.push(v as u32);
        prev = v;
    }
    Ok(out)
}

#[derive(Default)]
struct BitWriter {
    bytes: Vec<u8>,
    n: u64,
}

impl BitWriter {
    fn push(&mut self, b: u8) {
        if self.n % 8 == 0 {
            self.bytes.push(0);
        }
        if b != 0 {
            let last = self.bytes.len() - 1;
            self.bytes[last] |= 1 << (self.n % 8);
        }
        self.n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
    }

    #[test]
    fn rice_round_trips_and_rejects_truncation() {
        let v: Vec<u32> = vec![0, 3, 4, 100, 7000, 7001, 1 << 30, u32::MAX];
        let (k, bytes) = rice_encode(&v);
        assert_eq!(rice_decode(k, &bytes, v.len(), "x").unwrap(), v);
        assert!(rice_decode(k, &bytes[..bytes.len() / 2], v.len(), "x").is_err());
        assert!(rice_decode(40, &bytes, v.len(), "x").is_err());
    }
}
