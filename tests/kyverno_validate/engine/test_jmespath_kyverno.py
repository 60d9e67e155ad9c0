"""Kyverno's JMESPath functions added for the complete list: x509_decode, random, md5,
path_canonicalize (cases after kyverno/kyverno ``pkg/engine/jmespath/functions_test.go``)."""

import base64
import re
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from kyverno_validate.engine.jmespath_functions import search
from kyverno_validate.engine.x509 import X509Error, x509_decode

NOT_BEFORE = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "relkit"),
        ]
    )


def _certificate(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> str:
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("web.example.test"))
        .issuer_name(_name("relkit test CA"))
        .public_key(key.public_key())
        .serial_number(4242)
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(NOT_BEFORE + timedelta(days=90))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("web.example.test")]), critical=False
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(Encoding.PEM).decode()


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def test_x509_decode_certificate_fields(rsa_key: rsa.RSAPrivateKey) -> None:
    pem = _certificate(rsa_key)
    decoded = search("x509_decode(@)", pem)
    assert decoded["Subject"]["CommonName"] == "web.example.test"
    assert decoded["Subject"]["Organization"] == ["relkit"]
    assert decoded["Issuer"]["CommonName"] == "relkit test CA"
    assert decoded["NotBefore"] == "2024-01-02T03:04:05Z"
    assert decoded["NotAfter"] == "2024-04-01T03:04:05Z"
    assert decoded["SerialNumber"] == 4242
    assert decoded["PublicKey"] == {
        "N": str(rsa_key.public_key().public_numbers().n),
        "E": 65537,
    }
    assert decoded["SignatureAlgorithm"] == 4  # SHA256WithRSA
    assert decoded["Version"] == 3
    assert decoded["DNSNames"] == ["web.example.test"]
    assert decoded["ExtKeyUsage"] == [1]  # ServerAuth
    assert decoded["BasicConstraintsValid"] is True
    assert decoded["IsCA"] is False
    assert decoded["MaxPathLen"] == -1


def test_x509_decode_through_base64(rsa_key: rsa.RSAPrivateKey) -> None:
    encoded = {"crt": base64.b64encode(_certificate(rsa_key).encode()).decode()}
    assert search("x509_decode(base64_decode(crt)).Subject.CommonName", encoded) == (
        "web.example.test"
    )


def test_x509_decode_csr(rsa_key: rsa.RSAPrivateKey) -> None:
    csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(_name("client"))
        .sign(rsa_key, hashes.SHA256())
    )
    decoded = x509_decode(csr.public_bytes(Encoding.PEM).decode())
    assert decoded["Subject"]["CommonName"] == "client"
    assert decoded["PublicKey"]["E"] == 65537


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("not a pem", "failed to decode PEM block", id="no-pem"),
        pytest.param(
            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
            "neither contains",
            id="other-block",
        ),
        pytest.param(
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
            "failed to parse certificate",
            id="garbage",
        ),
    ],
)
def test_x509_decode_errors(text: str, message: str) -> None:
    with pytest.raises(X509Error, match=message):
        x509_decode(text)


def test_x509_decode_refuses_non_rsa_keys() -> None:
    pem = _certificate(ec.generate_private_key(ec.SECP256R1()))
    with pytest.raises(X509Error, match="rsa algorithm"):
        x509_decode(pem)


@pytest.mark.parametrize(
    "pattern",
    [
        "[a-z]{5}",
        "[0-9a-f]{8}-[0-9a-f]{4}",
        "(foo|bar)-\\d+",
        "x[^a-z]?y.z",
        "\\w+\\s\\W",
        "a*b+c?",
        "^[A-Z]{2,4}$",
    ],
)
def test_random_matches_its_pattern(pattern: str) -> None:
    for _ in range(20):
        generated = search(f"random('{pattern}')", {})
        assert re.fullmatch(pattern, generated), (pattern, generated)


@pytest.mark.parametrize("pattern", ["", "[a-"])
def test_random_rejects_empty_and_invalid_patterns(pattern: str) -> None:
    with pytest.raises(ValueError, match="pattern"):
        search(f"random('{pattern}')", {})


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        pytest.param("/var/lib/../run", "/var/run", id="dotdot"),
        pytest.param("//etc//kubernetes/", "/etc/kubernetes", id="double-slashes"),
        pytest.param("", "", id="empty"),
        pytest.param("a/./b", "a/b", id="relative"),
    ],
)
def test_path_canonicalize(path: str, expected: str) -> None:
    assert search(f"path_canonicalize('{path}')", {}) == expected


def test_md5_and_sha256() -> None:
    assert search("md5('abc')", {}) == "900150983cd24fb0d6963f7d28e17f72"
    assert search("sha256('abc')", {}).startswith("ba7816bf")
