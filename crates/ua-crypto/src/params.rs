//! DSTU 4145 domain parameters in DER: named or explicit curves plus the optional DKE, as
//! found in certificates and PKCS#8 keys (little-endian profile) and in the legacy IIT
//! container attributes (big-endian octets, descending pentanomial).

use crate::asn1::{self, Reader, Tlv, tag};
use crate::dstu4145::Curve;
use crate::error::{Error, Result};
use crate::gost89::{DKE1, SBox};
use crate::oids;

/// A curve together with the S-box its key carries (DKE No.1 when absent).
#[derive(Clone)]
pub(crate) struct DstuParams {
    pub(crate) curve: Curve,
    pub(crate) dke: [u8; 64],
}

impl DstuParams {
    pub(crate) fn sbox(&self) -> SBox {
        SBox::from_dke(&self.dke)
    }
}

fn malformed(what: &str) -> Error {
    Error::Malformed(what.to_owned())
}

/// Byte order of the octet strings inside an explicit curve description.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Octets {
    LittleEndian,
    BigEndian,
}

/// Parses `DSTU4145Params ::= SEQUENCE { CHOICE { ECBinary, namedCurve OID }, dke OCTET STRING
/// OPTIONAL }`.
pub(crate) fn parse_dstu_params(params: Tlv<'_>) -> Result<DstuParams> {
    if params.tag != tag::SEQUENCE {
        return Err(malformed("dstu parameters are not a sequence"));
    }
    let mut reader = Reader::of(params);
    let definition = reader.any()?;
    let curve = match definition.tag {
        tag::OID => {
            let oid = const_oid::ObjectIdentifier::from_bytes(definition.content)
                .map_err(|_| malformed("bad curve identifier"))?;
            Curve::named(&oid.to_string())
                .ok_or_else(|| Error::UnsupportedAlgorithm(oid.to_string()))?
        }
        tag::SEQUENCE => parse_ec_binary(definition, Octets::LittleEndian)?,
        _ => return Err(malformed("unknown curve definition")),
    };
    let dke = match reader.optional(tag::OCTET_STRING)? {
        Some(dke) => dke.content.try_into().map_err(|_| malformed("dke is not 64 bytes"))?,
        None => DKE1,
    };
    reader.finish()?;
    Ok(DstuParams { curve, dke })
}

/// Parses `ECBinary ::= SEQUENCE { version [0] EXPLICIT INTEGER DEFAULT 0, f BinaryField,
/// a INTEGER, b OCTET STRING, n INTEGER, bp OCTET STRING }`.
pub(crate) fn parse_ec_binary(definition: Tlv<'_>, order: Octets) -> Result<Curve> {
    let mut reader = Reader::of(definition);
    if let Some(version) = reader.optional(tag::ctx(0))? {
        let version = asn1::parse_one(version.content, tag::INTEGER)?;
        if asn1::uint_value(version.content)? != 0 {
            return Err(malformed("unknown curve description version"));
        }
    }
    let field = reader.expect(tag::SEQUENCE)?;
    let mut field_reader = Reader::of(field);
    let m = u32::try_from(field_reader.small_uint()?).map_err(|_| malformed("field degree"))?;
    let mut poly = Vec::with_capacity(3);
    match field_reader.peek_tag() {
        Some(tag::INTEGER) => poly.push(field_reader.small_uint()?),
        Some(tag::SEQUENCE) => {
            let mut pentanomial = Reader::of(field_reader.any()?);
            for _ in 0..3 {
                poly.push(pentanomial.small_uint()?);
            }
            pentanomial.finish()?;
        }
        _ => return Err(malformed("unknown field polynomial")),
    }
    field_reader.finish()?;
    let mut poly: Vec<u32> = poly
        .into_iter()
        .map(|k| u32::try_from(k).map_err(|_| malformed("field polynomial")))
        .collect::<Result<_>>()?;
    // Certificates list the pentanomial ascending, the IIT container descending.
    poly.sort_unstable();
    let a = asn1::uint_value(reader.expect(tag::INTEGER)?.content)?;
    let a = u8::try_from(a).map_err(|_| malformed("curve coefficient a"))?;
    let mut b = reader.octets()?.to_vec();
    let n = asn1::unsigned_be(reader.expect(tag::INTEGER)?.content)?.to_vec();
    let mut g = reader.octets()?.to_vec();
    reader.finish()?;
    if order == Octets::BigEndian {
        b.reverse();
        g.reverse();
    }
    Ok(Curve::from_explicit(m, &poly, a, &b, &n, &g)?)
}

/// Encodes a curve as explicit `DSTU4145Params` with the given DKE (the shape IIT and Diia
/// certificates use).
pub(crate) fn encode_dstu_params(curve: &Curve, dke: &[u8; 64]) -> Vec<u8> {
    let poly = curve.poly();
    let field_poly = match poly {
        [k] => asn1::uint(u64::from(*k)),
        _ => {
            let parts: Vec<Vec<u8>> = poly.iter().map(|&k| asn1::uint(u64::from(k))).collect();
            let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
            asn1::seq(&refs)
        }
    };
    let field = asn1::seq(&[&asn1::uint(u64::from(curve.m())), &field_poly]);
    let ec_binary = asn1::seq(&[
        &field,
        &asn1::uint(u64::from(curve.a())),
        &asn1::octets(&curve.b_le()),
        &asn1::uint_be(&curve.n_be()),
        &asn1::octets(&curve.g_compressed_le()),
    ]);
    asn1::seq(&[&ec_binary, &asn1::octets(dke)])
}

/// AlgorithmIdentifier of a DSTU 4145 key (little-endian profile) with explicit parameters.
pub(crate) fn dstu_key_algorithm(curve: &Curve, dke: &[u8; 64]) -> Vec<u8> {
    asn1::algorithm_id(&oids::DSTU4145_LE, Some(&encode_dstu_params(curve, dke)))
}
