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


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        # pkg/engine/jmespath/time_test.go
        ("time_since('', '2021-01-02T15:04:05-07:00', '2021-01-10T03:14:05-07:00')", "180h10m0s"),
        (
            "time_since('Mon Jan _2 15:04:05 MST 2006', 'Mon Jan 02 15:04:05 MST 2021', "
            "'Mon Jan 10 03:14:16 MST 2021')",
            "180h10m11s",
        ),
        ("time_to_cron(time_utc('2023-02-02T15:04:05-07:00'))", "4 22 2 2 4"),
        ("time_add('2021-01-02T15:04:05-07:00', '3h')", "2021-01-02T18:04:05-07:00"),
        (
            "time_add(time_parse('Mon Jan 02 15:04:05 -0700 2006', "
            "'Sat Jan 02 15:04:05 -0700 2021'), '5h30m40s')",
            "2021-01-02T20:34:45-07:00",
        ),
        ("time_parse('1702691171', '1702691171')", "2023-12-16T01:46:11Z"),
        ("time_parse('2006-01-02 3:04PM', '2024-03-05 9:07PM')", "2024-03-05T21:07:00Z"),
        (
            "time_parse('January 2, 06 15:04:05.000', 'March 5, 24 10:00:01.250')",
            "2024-03-05T10:00:01Z",
        ),
        ("time_utc('2023-02-02T15:04:05-07:00')", "2023-02-02T22:04:05Z"),
        ("time_truncate('2023-02-02T15:04:05-07:00', '1h')", "2023-02-02T15:00:00-07:00"),
        # pkg/engine/jmespath/functions_test.go
        ("semver_compare('4.1.3', '>=4.1.x')", True),
        ("semver_compare('4.1.3', '!4.x.x')", False),
        ("semver_compare('1.8.6', '>1.0.0 <2.0.0')", True),
        ("semver_compare('2.1.5', '<2.0.0 || >=3.0.0')", False),
        ("semver_compare('3.0.1', '<2.0.0 || >=3.0.0')", True),
        ("semver_compare('1.0.0-rc.1', '<1.0.0')", True),
        ("semver_compare('not-a-version', '<1.0.0')", True),
        ("image_normalize('nginx')", "docker.io/nginx:latest"),
        ("image_normalize('docker.io/library/nginx')", "docker.io/library/nginx:latest"),
        ("image_normalize('ghcr.io/nginx:1.2')", "ghcr.io/nginx:1.2"),
        ("image_normalize('nginx:1.2@sha256:abc')", "docker.io/nginx@sha256:abc"),
        ("path_canonicalize('///')", "/"),
        ("path_canonicalize('/../../')", "/"),
        ("path_canonicalize('///etc*')", "/etc*"),
        ("truncate('Lorem ipsum', `2.6`)", "Lo"),
        ("truncate('Lorem ipsum', `-1`)", ""),
        (
            "regex_replace_all('([Hh]e|G)l', 'Hello world, helworldlo', '${2}G')",
            "Glo world, Gworldlo",
        ),
        ("regex_replace_all('(a)(b)', 'ab', '$2$1$$')", "ba$"),
        ("regex_replace_all('(a)', 'ab', '$1x')", "b"),
        (
            "regex_replace_all_literal('[Hh]el?', 'Hello world, helworldlo', 'G')",
            "Glo world, Gworldlo",
        ),
    ],
)
def test_kyverno_function_cases(expression: str, expected: object) -> None:
    assert search(expression, {}) == expected


def test_image_normalize_refuses_an_empty_reference() -> None:
    with pytest.raises(ValueError, match="invalid reference format"):
        search("image_normalize('')", {})


@pytest.mark.parametrize(
    "pattern",
    ["(?>ab)c", "[^0-9]{3}", "[\\d_]x", "a{2,}", "a$"],
)
def test_random_covers_groups_classes_and_repeats(pattern: str) -> None:
    generated = search(f"random('{pattern}')", {})
    assert re.fullmatch(pattern, generated), generated


@pytest.mark.parametrize(
    ("layout", "text", "expected"),
    [
        pytest.param("Jan 2 2006 MST", "Mar 5 2024 CET", "2024-03-05T00:00:00Z", id="unknown-zone"),
        pytest.param("Jan 2 2006 MST", "Mar 5 2024 GMT", "2024-03-05T00:00:00Z", id="gmt"),
        pytest.param("2006-01-02 -0700", "2024-03-05 +0530", "2024-03-05T00:00:00+05:30",
                     id="hhmm"),
        pytest.param("2006-01-02 Z07:00", "2024-03-05 Z", "2024-03-05T00:00:00Z", id="zulu"),
        pytest.param("Monday, 02-Jan-06 3PM", "Tuesday, 05-Mar-24 12AM", "2024-03-05T00:00:00Z",
                     id="weekday-and-midnight"),
    ],
)  # fmt: skip
def test_time_parse_go_layouts(layout: str, text: str, expected: str) -> None:
    assert search(f"time_parse('{layout}', '{text}')", {}) == expected


def test_time_parse_text_not_in_layout_is_an_error() -> None:
    with pytest.raises(ValueError, match="cannot parse"):
        search("time_parse('2006-01-02', 'tomorrow')", {})


@pytest.mark.parametrize(
    ("version", "constraint", "expected"),
    [
        ("4.2.0", ">4.1.x", True),
        ("4.1.9", ">4.1.x", False),
        ("4.1.9", "<=4.1.x", True),
        ("4.2.0", "<=4.1.x", False),
        ("4.0.9", "<4.1.x", True),
        ("4.1.5", "4.1.x", True),
        ("1.2.3", "^1.0.0", True),
        ("1.3.0", "~1.2.0", False),
    ],
)
def test_semver_wildcards_and_carets(version: str, constraint: str, expected: bool) -> None:
    assert search(f"semver_compare('{version}', '{constraint}')", {}) is expected


def test_semver_empty_alternative_is_an_error() -> None:
    with pytest.raises(ValueError, match="range"):
        search("semver_compare('1.0.0', '>1.0.0 ||')", {})


def test_x509_decode_key_usage_and_ca(rsa_key: rsa.RSAPrivateKey) -> None:
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("ca"))
        .issuer_name(_name("ca"))
        .public_key(rsa_key.public_key())
        .serial_number(1)
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(NOT_BEFORE + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(rsa_key.public_key()), critical=False
        )
        .sign(rsa_key, hashes.SHA256())
    )
    decoded = x509_decode(cert.public_bytes(Encoding.PEM).decode())
    assert decoded["IsCA"] is True
    assert decoded["MaxPathLen"] == 0
    assert decoded["MaxPathLenZero"] is True
    assert decoded["KeyUsage"] == 1 | 32 | 64
    assert decoded["SubjectKeyId"]
    assert decoded["DNSNames"] is None
