//! Hand-written matchers for the families a flat token format does not describe: PEM private
//! key blocks, JSON Web Tokens, passwords in URLs and ADO.NET connection strings.

/// The longest PEM block reported (a PGP private key block with subkeys stays well under).
pub(crate) const MAX_PEM: usize = 64 * 1024;

/// Where the next `-----END ` marker is, remembered across the BEGIN markers of one scan so
/// that the searches for it never overlap (linear time however many BEGINs there are).
#[derive(Debug, Default)]
pub(crate) struct PemState {
    searched_from: usize,
    next_end: Option<usize>,
    valid: bool,
}

/// A private key block found at a `-----BEGIN ` marker.
pub(crate) struct Pem<'t> {
    pub end: usize,
    pub key_type: &'t str,
    pub encrypted: bool,
    /// The block is the value of a JSON `"private_key"` member (a GCP service-account file).
    pub service_account: bool,
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    // std's substring search on str needs a str; the haystack here is always ASCII-bounded
    // slices of a str, but slicing by bytes may cut a char, so search bytes directly.
    let first = needle[0];
    let mut i = 0;
    while i + needle.len() <= haystack.len() {
        match haystack[i..].iter().position(|&b| b == first) {
            Some(offset) => {
                i += offset;
                if haystack[i..].starts_with(needle) {
                    return Some(i);
                }
                i += 1;
            }
            None => return None,
        }
    }
    None
}

/// A private key block starting at `at` (where `-----BEGIN ` was found).
pub(crate) fn pem<'t>(text: &'t str, at: usize, state: &mut PemState) -> Option<Pem<'t>> {
    let bytes = text.as_bytes();
    if !bytes[at..].starts_with(b"-----BEGIN ") {
        return None;
    }
    let label_start = at + 11;
    let limit = bytes.len().min(label_start + 64);
    let mut p = label_start;
    while p < limit && (bytes[p].is_ascii_uppercase() || bytes[p].is_ascii_digit() || bytes[p] == b' ') {
        p += 1;
    }
    let label = &text[label_start..p];
    if !bytes[p..].starts_with(b"-----") || !(label.ends_with("PRIVATE KEY") || label.ends_with("PRIVATE KEY BLOCK")) {
        return None;
    }
    let body_start = p + 5;
    if !(state.valid && state.searched_from <= body_start && state.next_end.is_none_or(|end| end >= body_start)) {
        state.next_end = find(&bytes[body_start..], b"-----END ").map(|i| body_start + i);
        state.searched_from = body_start;
        state.valid = true;
    }
    let end_marker = state.next_end?;
    let after = end_marker + 9;
    if end_marker - body_start < 32
        || end_marker - at > MAX_PEM
        || !bytes[after..].starts_with(label.as_bytes())
        || !bytes[after + label.len()..].starts_with(b"-----")
    {
        return None;
    }
    let end = after + label.len() + 5;
    let key_type = label.trim_end_matches(" BLOCK").trim_end_matches("PRIVATE KEY").trim_end();
    let body = &bytes[body_start..end_marker];
    let encrypted = key_type == "ENCRYPTED" || find(body, b"Proc-Type: 4,ENCRYPTED").is_some();
    let before = &bytes[at.saturating_sub(40)..at];
    let service_account = find(before, b"\"private_key\"").is_some();
    Some(Pem { end, key_type: if key_type.is_empty() { "PKCS8" } else { key_type }, encrypted, service_account })
}

/// Base64url alphabet (and `=` tolerated at the end).
fn b64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

fn decode_b64url(input: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(input.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for &b in input {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// A JSON Web Token at `at` (where `eyJ` was found): three base64url parts whose header
/// decodes to a JSON object with `alg`. Returns its end and the algorithm.
pub(crate) fn jwt(text: &[u8], at: usize) -> Option<(usize, String)> {
    if !text[at..].starts_with(b"eyJ") || (at > 0 && (b64url(text[at - 1]) || text[at - 1] == b'.')) {
        return None;
    }
    let run = |from: usize, max: usize| {
        let limit = text.len().min(from + max);
        let mut p = from;
        while p < limit && b64url(text[p]) {
            p += 1;
        }
        p
    };
    let header_end = run(at, 2048);
    if header_end - at < 10 || text.get(header_end) != Some(&b'.') {
        return None;
    }
    let payload_end = run(header_end + 1, 64 * 1024);
    if payload_end - header_end - 1 < 2 || text.get(payload_end) != Some(&b'.') {
        return None;
    }
    let end = run(payload_end + 1, 8 * 1024);
    if end < text.len() && b64url(text[end]) {
        return None;
    }
    let header: serde_json::Value = serde_json::from_slice(&decode_b64url(&text[at..header_end])?).ok()?;
    let alg = header.get("alg")?.as_str()?.to_owned();
    if end == payload_end + 1 && !alg.eq_ignore_ascii_case("none") {
        return None; // no signature: only an unsecured (`alg: none`) token may omit it
    }
    Some((end, alg))
}

/// URL schemes whose credentials are database or broker passwords (reported as
/// `CONNECTION_STRING`).
pub(crate) const DATABASE_SCHEMES: &[&str] = &[
    "postgres",
    "postgresql",
    "mysql",
    "mariadb",
    "mongodb",
    "mongodb+srv",
    "redis",
    "rediss",
    "amqp",
    "amqps",
    "mssql",
    "sqlserver",
    "oracle",
    "clickhouse",
    "cockroachdb",
    "couchdb",
    "neo4j",
    "neo4j+s",
    "bolt",
    "memcached",
    "cassandra",
    "kafka",
    "nats",
    "mqtt",
    "mqtts",
    "snowflake",
    "db2",
    "cql",
    "elasticsearch",
    "influxdb",
];

/// A password that is a template, not a value.
pub(crate) fn placeholder_password(value: &[u8]) -> bool {
    let Some(&first) = value.first() else { return true };
    if matches!(first, b'$' | b'{' | b'<' | b'%' | b'[' | b'*') {
        return true;
    }
    let lower: Vec<u8> = value.iter().map(u8::to_ascii_lowercase).collect();
    let has = |needle: &[u8]| lower.windows(needle.len()).any(|w| w == needle);
    if has(b"xxx") || has(b"***") || has(b"...") || has(b"<") || has(b"your") || has(b"{{") {
        return true;
    }
    matches!(
        &lower[..],
        b"password" | b"pass" | b"passwd" | b"pwd" | b"pw" | b"secret" | b"changeme" | b"redacted" | b"masked" | b"p" | b"x"
    )
}

/// A password in a URL's user information, for `://` found at `at`: returns the scheme's span
/// and the password's span.
pub(crate) fn url_password(text: &[u8], at: usize) -> Option<((usize, usize), (usize, usize))> {
    let mut scheme_start = at;
    while scheme_start > 0
        && at - scheme_start < 32
        && (text[scheme_start - 1].is_ascii_alphanumeric() || matches!(text[scheme_start - 1], b'+' | b'.' | b'-'))
    {
        scheme_start -= 1;
    }
    while scheme_start < at && !text[scheme_start].is_ascii_alphabetic() {
        scheme_start += 1;
    }
    if at - scheme_start < 2 {
        return None;
    }
    let authority = at + 3;
    let limit = text.len().min(authority + 512);
    let mut p = authority;
    let mut last_at = None;
    while p < limit {
        match text[p] {
            b'/' | b'?' | b'#' | b'"' | b'\'' | b'`' | b'<' | b'>' | b'\\' => break,
            b if b.is_ascii_whitespace() => break,
            b'@' => last_at = Some(p),
            _ => {}
        }
        p += 1;
    }
    let at_sign = last_at?;
    let colon = authority + text[authority..at_sign].iter().position(|&b| b == b':')?;
    let password = (colon + 1, at_sign);
    let host = text.get(at_sign + 1).copied()?;
    if password.0 >= password.1 || !(host.is_ascii_alphanumeric() || host == b'[') {
        return None;
    }
    if placeholder_password(&text[password.0..password.1]) {
        return None;
    }
    Some(((scheme_start, at), password))
}

/// The password of an ADO.NET-style connection string (`Server=...;User Id=...;Password=...;`)
/// for a `password=` or `pwd=` keyword at `start..end`.
pub(crate) fn ado_password(text: &[u8], start: usize, end: usize) -> Option<(usize, usize)> {
    if start > 0 && !matches!(text[start - 1], b';' | b' ' | b'\t' | b'"' | b'\'') {
        return None;
    }
    let limit = text.len().min(end + 128);
    let (value_start, mut value_end) = if text.get(end) == Some(&b'{') {
        let close = end + 1 + text[end + 1..limit].iter().position(|&b| b == b'}')?;
        (end + 1, close)
    } else {
        let mut p = end;
        while p < limit && !matches!(text[p], b';' | b'"' | b'\'' | b'\n' | b'\r') {
            p += 1;
        }
        if p == limit && limit < text.len() {
            return None;
        }
        (end, p)
    };
    while value_end > value_start && text[value_end - 1] == b' ' {
        value_end -= 1;
    }
    if value_start >= value_end || placeholder_password(&text[value_start..value_end]) {
        return None;
    }
    // The rest of a connection string on the same line.
    let line_start = text[start.saturating_sub(256)..start]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(start.saturating_sub(256), |i| start.saturating_sub(256) + i + 1);
    let line_end = text.len().min(value_end + 256);
    let line_end = text[value_end..line_end].iter().position(|&b| b == b'\n').map_or(line_end, |i| value_end + i);
    let line: Vec<u8> = text[line_start..line_end].iter().map(u8::to_ascii_lowercase).collect();
    let has = |needle: &[u8]| line.windows(needle.len()).any(|w| w == needle);
    let keys: [&[u8]; 8] =
        [b"server=", b"data source=", b"host=", b"user id=", b"uid=", b"initial catalog=", b"database=", b"address="];
    (line.contains(&b';') && keys.iter().any(|k| has(k))).then_some((value_start, value_end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_jwts_and_ado() {
        let text = b"postgres://app:s3cr3t-P4ss@db.internal:5432/app";
        let (scheme, password) = url_password(text, 8).unwrap();
        assert_eq!(&text[scheme.0..scheme.1], b"postgres");
        assert_eq!(&text[password.0..password.1], b"s3cr3t-P4ss");
        assert!(url_password(b"https://user@host/x", 5).is_none());
        assert!(url_password(b"https://user:${PASS}@host/x", 5).is_none());
        let token = b"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlX3ZhbHVl";
        assert_eq!(jwt(token, 0), Some((token.len(), "HS256".to_owned())));
        let ado = b"Server=tcp:db;Database=app;User Id=sa;Password=Str0ng!Pass;";
        let (s, e) = ado_password(ado, 38, 47).unwrap();
        assert_eq!(&ado[s..e], b"Str0ng!Pass");
    }
}
