"""``x509_decode``: a PEM certificate or CSR as the JSON object Kyverno returns.

Kyverno (``pkg/engine/jmespath/functions.go``) parses the PEM block with Go's ``crypto/x509``,
accepts RSA keys only, replaces ``PublicKey`` with ``{N: "<modulus>", E: <exponent>}`` and
JSON-encodes Go's ``x509.Certificate`` / ``x509.CertificateRequest``: field names are Go's,
byte slices are base64, times are RFC 3339, enums are Go's integer constants. ``cryptography``
is imported lazily (only policies calling the function pay for it).
"""

from __future__ import annotations

import base64
import warnings
from datetime import UTC, datetime
from typing import Any

# Go's x509.SignatureAlgorithm constants by OID
_SIGNATURE_ALGORITHMS = {
    "1.2.840.113549.1.1.2": 1,  # MD2WithRSA
    "1.2.840.113549.1.1.4": 2,  # MD5WithRSA
    "1.2.840.113549.1.1.5": 3,  # SHA1WithRSA
    "1.2.840.113549.1.1.11": 4,  # SHA256WithRSA
    "1.2.840.113549.1.1.12": 5,  # SHA384WithRSA
    "1.2.840.113549.1.1.13": 6,  # SHA512WithRSA
    "1.2.840.10040.4.3": 7,  # DSAWithSHA1
    "2.16.840.1.101.3.4.3.2": 8,  # DSAWithSHA256
    "1.2.840.10045.4.1": 9,  # ECDSAWithSHA1
    "1.2.840.10045.4.3.2": 10,  # ECDSAWithSHA256
    "1.2.840.10045.4.3.3": 11,  # ECDSAWithSHA384
    "1.2.840.10045.4.3.4": 12,  # ECDSAWithSHA512
    "1.2.840.113549.1.1.10": 13,  # SHA256WithRSAPSS (Go tells the hash apart; 13 is the common)
    "1.3.101.112": 16,  # PureEd25519
}
# Go's x509.ExtKeyUsage constants by OID
_EXT_KEY_USAGES = {
    "2.5.29.37.0": 0,
    "1.3.6.1.5.5.7.3.1": 1,
    "1.3.6.1.5.5.7.3.2": 2,
    "1.3.6.1.5.5.7.3.3": 3,
    "1.3.6.1.5.5.7.3.4": 4,
    "1.3.6.1.5.5.7.3.5": 5,
    "1.3.6.1.5.5.7.3.6": 6,
    "1.3.6.1.5.5.7.3.7": 7,
    "1.3.6.1.5.5.7.3.8": 8,
    "1.3.6.1.5.5.7.3.9": 9,
    "1.3.6.1.4.1.311.10.3.3": 10,
    "2.16.840.1.113730.4.1": 11,
    "1.3.6.1.4.1.311.2.1.22": 12,
    "1.3.6.1.4.1.311.61.1.1": 13,
}
# pkix.Name's fields by attribute OID (lists, except the last two)
_NAME_FIELDS = {
    "2.5.4.6": "Country",
    "2.5.4.10": "Organization",
    "2.5.4.11": "OrganizationalUnit",
    "2.5.4.7": "Locality",
    "2.5.4.8": "Province",
    "2.5.4.9": "StreetAddress",
    "2.5.4.17": "PostalCode",
    "2.5.4.5": "SerialNumber",
    "2.5.4.3": "CommonName",
}
_KEY_USAGE_BITS = (
    "digital_signature",
    "content_commitment",
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "key_cert_sign",
    "crl_sign",
    "encipher_only",
    "decipher_only",
)


class X509Error(ValueError):
    """The argument is not a PEM certificate or CSR with an RSA key."""


def _b64(data: bytes | None) -> str | None:
    return base64.b64encode(data).decode() if data else None


def _time(value: datetime) -> str:
    value = value if value.tzinfo else value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _oid(dotted: str) -> list[int]:
    return [int(part) for part in dotted.split(".")]


def _name(name: Any) -> dict[str, Any]:
    """Go's ``pkix.Name`` as JSON: nil lists are null."""
    out: dict[str, Any] = dict.fromkeys(_NAME_FIELDS.values())
    out["SerialNumber"] = ""
    out["CommonName"] = ""
    names = []
    for attribute in name:
        dotted = attribute.oid.dotted_string
        value = attribute.value if isinstance(attribute.value, str) else str(attribute.value)
        names.append({"Type": _oid(dotted), "Value": value})
        field = _NAME_FIELDS.get(dotted)
        if field in ("SerialNumber", "CommonName"):
            out[field] = value
        elif field is not None:
            out[field] = [*(out[field] or []), value]
    out["Names"] = names or None
    out["ExtraNames"] = None
    return out


def _public_key(key: Any) -> dict[str, Any]:
    from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: PLC0415

    if not isinstance(key, rsa.RSAPublicKey):
        raise X509Error("certificate should use rsa algorithm")
    numbers = key.public_numbers()
    return {"N": str(numbers.n), "E": numbers.e}


def _extension(extensions: Any, cls: Any) -> Any:
    from cryptography import x509  # noqa: PLC0415

    try:
        return extensions.get_extension_for_class(cls).value
    except x509.ExtensionNotFound:
        return None


def _key_usage(usage: Any) -> int:
    bits = 0
    for index, attribute in enumerate(_KEY_USAGE_BITS):
        try:
            if getattr(usage, attribute):
                bits |= 1 << index
        except ValueError:  # encipher_only/decipher_only without key_agreement
            continue
    return bits


def _alternative_names(extensions: Any) -> dict[str, Any]:
    from cryptography import x509  # noqa: PLC0415

    names = _extension(extensions, x509.SubjectAlternativeName)
    found: dict[str, Any] = {
        "DNSNames": None,
        "EmailAddresses": None,
        "IPAddresses": None,
        "URIs": None,
    }
    if names is None:
        return found
    for field, kind in (
        ("DNSNames", x509.DNSName),
        ("EmailAddresses", x509.RFC822Name),
        ("IPAddresses", x509.IPAddress),
        ("URIs", x509.UniformResourceIdentifier),
    ):
        values = [str(v) for v in names.get_values_for_type(kind)]
        found[field] = values or None
    return found


def _certificate(cert: Any) -> dict[str, Any]:
    from cryptography import x509  # noqa: PLC0415
    from cryptography.hazmat.primitives import serialization  # noqa: PLC0415

    public_key = cert.public_key()
    key = _public_key(public_key)
    spki = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    extensions = cert.extensions
    basic = _extension(extensions, x509.BasicConstraints)
    usage = _extension(extensions, x509.KeyUsage)
    ext_usage = _extension(extensions, x509.ExtendedKeyUsage)
    subject_key = _extension(extensions, x509.SubjectKeyIdentifier)
    authority_key = _extension(extensions, x509.AuthorityKeyIdentifier)
    max_path = 0
    if basic is not None:
        max_path = -1 if basic.path_length is None else basic.path_length
    return {
        "Raw": _b64(cert.public_bytes(serialization.Encoding.DER)),
        "RawTBSCertificate": _b64(cert.tbs_certificate_bytes),
        "RawSubjectPublicKeyInfo": _b64(spki),
        "RawSubject": _b64(cert.subject.public_bytes()),
        "RawIssuer": _b64(cert.issuer.public_bytes()),
        "Signature": _b64(cert.signature),
        "SignatureAlgorithm": _SIGNATURE_ALGORITHMS.get(
            cert.signature_algorithm_oid.dotted_string, 0
        ),
        "PublicKeyAlgorithm": 1,
        "PublicKey": key,
        "Version": cert.version.value + 1,
        "SerialNumber": cert.serial_number,
        "Issuer": _name(cert.issuer),
        "Subject": _name(cert.subject),
        "NotBefore": _time(cert.not_valid_before_utc),
        "NotAfter": _time(cert.not_valid_after_utc),
        "KeyUsage": _key_usage(usage) if usage is not None else 0,
        "Extensions": [
            {"Id": _oid(e.oid.dotted_string), "Critical": e.critical, "Value": _b64(_der(e))}
            for e in extensions
        ]
        or None,
        "ExtraExtensions": None,
        "UnhandledCriticalExtensions": None,
        "ExtKeyUsage": [_EXT_KEY_USAGES.get(u.dotted_string, 0) for u in ext_usage]
        if ext_usage is not None
        else None,
        "UnknownExtKeyUsage": None,
        "BasicConstraintsValid": basic is not None,
        "IsCA": bool(basic is not None and basic.ca),
        "MaxPathLen": max_path,
        "MaxPathLenZero": max_path == 0 and basic is not None,
        "SubjectKeyId": _b64(subject_key.digest) if subject_key is not None else None,
        "AuthorityKeyId": _b64(authority_key.key_identifier) if authority_key is not None else None,
        "OCSPServer": None,
        "IssuingCertificateURL": None,
        **_alternative_names(extensions),
    }


def _der(extension: Any) -> bytes | None:
    try:
        return bytes(extension.value.public_bytes())
    except (AttributeError, NotImplementedError, ValueError):
        return None


def _request(csr: Any) -> dict[str, Any]:
    from cryptography.hazmat.primitives import serialization  # noqa: PLC0415

    key = _public_key(csr.public_key())
    return {
        "Raw": _b64(csr.public_bytes(serialization.Encoding.DER)),
        "RawTBSCertificateRequest": _b64(csr.tbs_certrequest_bytes),
        "Signature": _b64(csr.signature),
        "SignatureAlgorithm": _SIGNATURE_ALGORITHMS.get(
            csr.signature_algorithm_oid.dotted_string, 0
        ),
        "PublicKeyAlgorithm": 1,
        "PublicKey": key,
        "Version": 0,
        "Subject": _name(csr.subject),
        "Attributes": None,
        "Extensions": [
            {"Id": _oid(e.oid.dotted_string), "Critical": e.critical, "Value": _b64(_der(e))}
            for e in csr.extensions
        ]
        or None,
        "ExtraExtensions": None,
        **_alternative_names(csr.extensions),
    }


def x509_decode(text: str) -> dict[str, Any]:
    """Decode the first PEM block: a CERTIFICATE or a CERTIFICATE REQUEST (RSA keys only)."""
    from cryptography import x509  # noqa: PLC0415

    begin = text.find("-----BEGIN ")
    if begin < 0:
        raise X509Error("failed to decode PEM block")
    kind = text[begin + len("-----BEGIN ") :].split("-----", 1)[0]
    data = text[begin:].encode()
    try:
        with warnings.catch_warnings():
            # Go parses a non-positive serial number without a word; so do we
            warnings.simplefilter("ignore")
            if kind == "CERTIFICATE":
                return _certificate(x509.load_pem_x509_certificate(data))
            if kind == "CERTIFICATE REQUEST":
                return _request(x509.load_pem_x509_csr(data))
    except X509Error:
        raise
    except ValueError as exc:
        raise X509Error(f"failed to parse {kind.lower()}: {exc}") from exc
    raise X509Error("PEM block neither contains a CERTIFICATE or CERTIFICATE REQUEST")
