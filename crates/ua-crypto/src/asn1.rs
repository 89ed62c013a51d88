//! A small DER reader and writer that keeps raw slices of every element, which signature
//! checks need (to-be-signed bytes, re-tagged signed attributes) and which the typed `der`
//! structs do not expose for the Ukrainian structures (DSTU parameters, IIT attributes).

use const_oid::ObjectIdentifier;

use crate::Error;

/// Universal and context tags used in this crate.
pub mod tag {
    /// BOOLEAN.
    pub const BOOLEAN: u8 = 0x01;
    /// INTEGER.
    pub const INTEGER: u8 = 0x02;
    /// BIT STRING.
    pub const BIT_STRING: u8 = 0x03;
    /// OCTET STRING.
    pub const OCTET_STRING: u8 = 0x04;
    /// NULL.
    pub const NULL: u8 = 0x05;
    /// OBJECT IDENTIFIER.
    pub const OID: u8 = 0x06;
    /// UTF8String.
    pub const UTF8_STRING: u8 = 0x0c;
    /// PrintableString.
    pub const PRINTABLE_STRING: u8 = 0x13;
    /// UTCTime.
    pub const UTC_TIME: u8 = 0x17;
    /// GeneralizedTime.
    pub const GENERALIZED_TIME: u8 = 0x18;
    /// SEQUENCE.
    pub const SEQUENCE: u8 = 0x30;
    /// SET.
    pub const SET: u8 = 0x31;
    /// Context-specific constructed [n].
    pub const fn ctx(n: u8) -> u8 {
        0xa0 | n
    }
    /// Context-specific primitive [n].
    pub const fn ctx_prim(n: u8) -> u8 {
        0x80 | n
    }
}

/// One decoded element: its tag, its content and its full encoding.
#[derive(Clone, Copy, Debug)]
pub struct Tlv<'a> {
    /// The identifier octet (only single-octet tags are supported).
    pub tag: u8,
    /// The content octets.
    pub content: &'a [u8],
    /// Header and content together.
    pub raw: &'a [u8],
}

fn malformed(what: &str) -> Error {
    Error::Malformed(what.to_owned())
}

/// Reads one element from the front of `input`; returns it and the rest.
pub fn read_tlv(input: &[u8]) -> Result<(Tlv<'_>, &[u8]), Error> {
    let (&tag, rest) = input.split_first().ok_or_else(|| malformed("unexpected end of data"))?;
    if tag & 0x1f == 0x1f {
        return Err(malformed("multi-byte tags are not supported"));
    }
    let (&first, rest) = rest.split_first().ok_or_else(|| malformed("missing length"))?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else if first == 0x80 {
        return Err(malformed("indefinite length (BER) is not supported"));
    } else {
        let n_bytes = usize::from(first & 0x7f);
        if n_bytes > 4 || rest.len() < n_bytes {
            return Err(malformed("bad length"));
        }
        let len = rest[..n_bytes].iter().fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        (len, &rest[n_bytes..])
    };
    if rest.len() < len {
        return Err(malformed("element longer than its container"));
    }
    let header_len = input.len() - rest.len();
    let (content, after) = rest.split_at(len);
    Ok((Tlv { tag, content, raw: &input[..header_len + len] }, after))
}

/// Parses exactly one element spanning the whole input.
pub fn parse_one(input: &[u8], expected_tag: u8) -> Result<Tlv<'_>, Error> {
    let (tlv, rest) = read_tlv(input)?;
    if !rest.is_empty() {
        return Err(malformed("trailing data"));
    }
    if tlv.tag != expected_tag {
        return Err(malformed("unexpected tag"));
    }
    Ok(tlv)
}

/// A cursor over the elements inside a constructed value.
#[derive(Clone, Copy, Debug)]
pub struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// Reads the elements of `content`.
    pub fn new(content: &'a [u8]) -> Reader<'a> {
        Reader { rest: content }
    }

    /// Reads the elements inside `tlv`.
    pub fn of(tlv: Tlv<'a>) -> Reader<'a> {
        Reader { rest: tlv.content }
    }

    /// True when all elements were read.
    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The tag of the next element, if any.
    pub fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// Reads any next element.
    pub fn any(&mut self) -> Result<Tlv<'a>, Error> {
        let (tlv, rest) = read_tlv(self.rest)?;
        self.rest = rest;
        Ok(tlv)
    }

    /// Reads the next element, which must have `tag`.
    pub fn expect(&mut self, tag: u8) -> Result<Tlv<'a>, Error> {
        let tlv = self.any()?;
        if tlv.tag != tag {
            return Err(malformed("unexpected tag"));
        }
        Ok(tlv)
    }

    /// Reads the next element only if it has `tag`.
    pub fn optional(&mut self, tag: u8) -> Result<Option<Tlv<'a>>, Error> {
        if self.peek_tag() == Some(tag) { self.any().map(Some) } else { Ok(None) }
    }

    /// Reads an OBJECT IDENTIFIER.
    pub fn oid(&mut self) -> Result<ObjectIdentifier, Error> {
        let tlv = self.expect(tag::OID)?;
        ObjectIdentifier::from_bytes(tlv.content).map_err(|_| malformed("bad object identifier"))
    }

    /// Reads an OCTET STRING's content.
    pub fn octets(&mut self) -> Result<&'a [u8], Error> {
        Ok(self.expect(tag::OCTET_STRING)?.content)
    }

    /// Reads a small non-negative INTEGER.
    pub fn small_uint(&mut self) -> Result<u64, Error> {
        uint_value(self.expect(tag::INTEGER)?.content)
    }

    /// Fails unless every element was read.
    pub fn finish(&self) -> Result<(), Error> {
        if self.rest.is_empty() { Ok(()) } else { Err(malformed("unexpected extra element")) }
    }
}

/// Decodes a non-negative INTEGER of at most 8 bytes (after its sign byte).
pub fn uint_value(content: &[u8]) -> Result<u64, Error> {
    let bytes = unsigned_be(content)?;
    if bytes.len() > 8 {
        return Err(malformed("integer too large"));
    }
    Ok(bytes.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
}

/// The big-endian magnitude of a non-negative INTEGER without leading zero bytes.
pub fn unsigned_be(content: &[u8]) -> Result<&[u8], Error> {
    if content.is_empty() || content[0] & 0x80 != 0 {
        return Err(malformed("negative or empty integer"));
    }
    let first = content.iter().position(|&b| b != 0).unwrap_or(content.len());
    Ok(&content[first..])
}

/// Decodes the payload of a BIT STRING with no unused bits.
pub fn bit_string_bytes(content: &[u8]) -> Result<&[u8], Error> {
    match content.split_first() {
        Some((0, payload)) => Ok(payload),
        _ => Err(malformed("bit string with unused bits")),
    }
}

/// Parses an AlgorithmIdentifier: its OID and the raw parameters element, if any.
pub fn algorithm(tlv: Tlv<'_>) -> Result<(ObjectIdentifier, Option<Tlv<'_>>), Error> {
    if tlv.tag != tag::SEQUENCE {
        return Err(malformed("algorithm identifier is not a sequence"));
    }
    let mut reader = Reader::of(tlv);
    let oid = reader.oid()?;
    let params = if reader.is_empty() { None } else { Some(reader.any()?) };
    reader.finish()?;
    Ok((oid, params))
}

// ----- writer -----

/// Encodes one element.
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 6);
    out.push(tag);
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len() - 1);
        out.push(0x80 | (bytes.len() - first) as u8);
        out.extend_from_slice(&bytes[first..]);
    }
    out.extend_from_slice(content);
    out
}

/// Encodes a constructed element from already encoded children.
pub fn cons(tag: u8, children: &[&[u8]]) -> Vec<u8> {
    tlv(tag, &children.concat())
}

/// SEQUENCE of encoded children.
pub fn seq(children: &[&[u8]]) -> Vec<u8> {
    cons(tag::SEQUENCE, children)
}

/// SET of encoded children, sorted as DER requires for SET OF.
pub fn set_of(children: &[&[u8]]) -> Vec<u8> {
    let mut sorted: Vec<&[u8]> = children.to_vec();
    sorted.sort();
    cons(tag::SET, &sorted)
}

/// OCTET STRING.
pub fn octets(content: &[u8]) -> Vec<u8> {
    tlv(tag::OCTET_STRING, content)
}

/// BIT STRING with no unused bits.
pub fn bit_string(payload: &[u8]) -> Vec<u8> {
    let mut content = Vec::with_capacity(payload.len() + 1);
    content.push(0);
    content.extend_from_slice(payload);
    tlv(tag::BIT_STRING, &content)
}

/// OBJECT IDENTIFIER.
pub fn oid(oid: &ObjectIdentifier) -> Vec<u8> {
    tlv(tag::OID, oid.as_bytes())
}

/// NULL.
pub fn null() -> Vec<u8> {
    vec![tag::NULL, 0]
}

/// INTEGER from a small unsigned value.
pub fn uint(value: u64) -> Vec<u8> {
    uint_be(&value.to_be_bytes())
}

/// INTEGER from a big-endian unsigned magnitude.
pub fn uint_be(magnitude: &[u8]) -> Vec<u8> {
    let first = magnitude.iter().position(|&b| b != 0).unwrap_or(magnitude.len());
    let mut content = Vec::with_capacity(magnitude.len() + 1);
    if first == magnitude.len() || magnitude[first] & 0x80 != 0 {
        content.push(0);
    }
    content.extend_from_slice(&magnitude[first..]);
    tlv(tag::INTEGER, &content)
}

/// AlgorithmIdentifier with optional encoded parameters.
pub fn algorithm_id(algorithm: &ObjectIdentifier, params: Option<&[u8]>) -> Vec<u8> {
    match params {
        Some(params) => seq(&[&oid(algorithm), params]),
        None => seq(&[&oid(algorithm)]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lengths_round_trip() {
        for len in [0usize, 1, 127, 128, 255, 256, 70_000] {
            let encoded = octets(&vec![0xab; len]);
            let parsed = parse_one(&encoded, tag::OCTET_STRING).unwrap();
            assert_eq!(parsed.content.len(), len);
            assert_eq!(parsed.raw, &encoded[..]);
        }
    }

    #[test]
    fn integers() {
        assert_eq!(uint(0), vec![2, 1, 0]);
        assert_eq!(uint(128), vec![2, 2, 0, 128]);
        assert_eq!(uint_value(&[0, 128]).unwrap(), 128);
        assert!(uint_value(&[0x80]).is_err(), "negative integers are rejected");
    }

    #[test]
    fn truncated_input_is_an_error() {
        let encoded = seq(&[&uint(5), &octets(b"abc")]);
        for cut in 0..encoded.len() {
            assert!(parse_one(&encoded[..cut], tag::SEQUENCE).is_err());
        }
    }
}
