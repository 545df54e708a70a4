//! Parsing of one command line (CRLF already removed and checked) into a [`Command`].
//!
//! Our own parser rather than smtp-proto's: we accept only what we advertise, and every
//! refusal must map to a precise reply (RFC 5321 section 4.1.1, RFC 1870, RFC 6152,
//! RFC 6531, RFC 4954). Parsing borrows from the line and never allocates.

/// A parsed command. Strings borrow from the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Command<'a> {
    Ehlo(&'a str),
    Helo(&'a str),
    Mail {
        path: Path<'a>,
        params: &'a str,
    },
    Rcpt {
        path: Path<'a>,
        params: &'a str,
    },
    Data {
        has_args: bool,
    },
    Rset,
    Noop,
    Quit,
    Help,
    Vrfy,
    StartTls {
        has_args: bool,
    },
    Auth {
        mechanism: &'a str,
        initial: Option<&'a str>,
    },
    /// A known verb we do not offer (EXPN, ETRN, BDAT, TURN, ATRN, BURL, LHLO).
    NotImplemented,
    /// Not an SMTP verb at all. Holds the verb for (escaped) logging.
    Unknown(&'a [u8]),
}

/// A reverse-path or forward-path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Path<'a> {
    /// `<>`.
    Null,
    /// `<address>` with any source route removed.
    Address(&'a str),
}

/// Why a line did not parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SyntaxError {
    /// Not valid UTF-8 (SMTPUTF8 allows UTF-8, nothing else).
    NotUtf8,
    /// EHLO/HELO without a valid host argument.
    BadHelo,
    /// MAIL without `FROM:<path>`.
    BadMailFrom,
    /// RCPT without `TO:<path>`.
    BadRcptTo,
    /// AUTH without a mechanism, or with extra words.
    BadAuth,
    /// Arguments on a command that takes none.
    UnexpectedArguments,
}

/// Parse one command line (without its CRLF).
pub(crate) fn parse(line: &[u8]) -> Result<Command<'_>, SyntaxError> {
    let verb_end = line.iter().position(|&b| b == b' ').unwrap_or(line.len());
    let verb = &line[..verb_end];
    let rest = &line[verb_end..];
    // Verbs are matched before the UTF-8 check so unknown binary garbage is "unrecognized".
    let known = |name: &[u8]| verb.eq_ignore_ascii_case(name);
    let is = |names: &[&[u8]]| names.iter().any(|n| known(n));
    if !is(&[
        b"EHLO",
        b"HELO",
        b"MAIL",
        b"RCPT",
        b"DATA",
        b"RSET",
        b"NOOP",
        b"QUIT",
        b"HELP",
        b"VRFY",
        b"STARTTLS",
        b"AUTH",
    ]) {
        if is(&[
            b"EXPN", b"ETRN", b"BDAT", b"TURN", b"ATRN", b"BURL", b"LHLO",
        ]) {
            return Ok(Command::NotImplemented);
        }
        return Ok(Command::Unknown(verb));
    }
    let rest = std::str::from_utf8(rest).map_err(|_| SyntaxError::NotUtf8)?;
    let args = rest.trim_matches(' ');
    let no_args = args.is_empty();
    let cmd = if known(b"EHLO") || known(b"HELO") {
        if !valid_helo(args) {
            return Err(SyntaxError::BadHelo);
        }
        if known(b"EHLO") {
            Command::Ehlo(args)
        } else {
            Command::Helo(args)
        }
    } else if known(b"MAIL") {
        let (path, params) = prefixed_path(args, "FROM:").ok_or(SyntaxError::BadMailFrom)?;
        Command::Mail { path, params }
    } else if known(b"RCPT") {
        let (path, params) = prefixed_path(args, "TO:").ok_or(SyntaxError::BadRcptTo)?;
        Command::Rcpt { path, params }
    } else if known(b"DATA") {
        Command::Data { has_args: !no_args }
    } else if known(b"STARTTLS") {
        Command::StartTls { has_args: !no_args }
    } else if known(b"AUTH") {
        let mut words = args.split(' ').filter(|w| !w.is_empty());
        let mechanism = words.next().ok_or(SyntaxError::BadAuth)?;
        let initial = words.next();
        if words.next().is_some() {
            return Err(SyntaxError::BadAuth);
        }
        Command::Auth { mechanism, initial }
    } else if known(b"RSET") || known(b"QUIT") {
        if !no_args {
            return Err(SyntaxError::UnexpectedArguments);
        }
        if known(b"RSET") {
            Command::Rset
        } else {
            Command::Quit
        }
    } else if known(b"NOOP") {
        Command::Noop // RFC 5321 section 4.1.1.9: a parameter is allowed and ignored.
    } else if known(b"HELP") {
        Command::Help
    } else {
        Command::Vrfy
    };
    Ok(cmd)
}

/// An EHLO/HELO argument: a domain or address literal. We keep it for the `Received:`
/// header, so only visible ASCII is allowed (no spaces, nothing that could break a header).
fn valid_helo(arg: &str) -> bool {
    !arg.is_empty() && arg.len() <= 255 && arg.bytes().all(|b| b.is_ascii_graphic())
}

/// Parse `FROM:<path> params` / `TO:<path> params`. Returns the path and the raw
/// parameter string (possibly empty).
fn prefixed_path<'a>(args: &'a str, prefix: &str) -> Option<(Path<'a>, &'a str)> {
    let head = args.get(..prefix.len())?;
    if !head.eq_ignore_ascii_case(prefix) {
        return None;
    }
    // RFC 5321 allows no space after the colon; many clients send one anyway.
    let rest = args[prefix.len()..].trim_start_matches(' ');
    let inner_and_rest = rest.strip_prefix('<')?;
    let close = closing_bracket(inner_and_rest)?;
    let inner = &inner_and_rest[..close];
    let after = &inner_and_rest[close + 1..];
    if !after.is_empty() && !after.starts_with(' ') {
        return None;
    }
    let path = if inner.is_empty() {
        Path::Null
    } else {
        // RFC 5321 section 4.1.2 / appendix C: accept and ignore a source route.
        let addr = match inner.strip_prefix('@') {
            Some(route) => &route[route.find(':')? + 1..],
            None => inner,
        };
        if addr.is_empty() {
            return None;
        }
        Path::Address(addr)
    };
    Some((path, after.trim_matches(' ')))
}

/// Index of the `>` that closes a path, skipping quoted strings in the local part.
fn closing_bracket(s: &str) -> Option<usize> {
    let mut quoted = false;
    let mut escaped = false;
    for (i, b) in s.bytes().enumerate() {
        if escaped {
            escaped = false;
        } else if quoted && b == b'\\' {
            escaped = true;
        } else if b == b'"' {
            quoted = !quoted;
        } else if b == b'>' && !quoted {
            return Some(i);
        } else if b == b'<' && !quoted {
            return None;
        }
    }
    None
}

/// One `KEY[=VALUE]` ESMTP parameter.
pub(crate) fn params(s: &str) -> impl Iterator<Item = (&str, Option<&str>)> {
    s.split(' ')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (p, None),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_mail_from_with_parameters_and_case_insensitive_verb() {
        let cmd = parse(b"mail FROM:<a@b.example> SIZE=100 BODY=8BITMIME").expect("parses");
        assert_eq!(
            cmd,
            Command::Mail {
                path: Path::Address("a@b.example"),
                params: "SIZE=100 BODY=8BITMIME"
            }
        );
        let p: Vec<_> = params("SIZE=100  SMTPUTF8").collect();
        assert_eq!(p, vec![("SIZE", Some("100")), ("SMTPUTF8", None)]);
    }

    #[test]
    fn accepts_null_sender_space_after_colon_and_source_routes() {
        assert_eq!(
            parse(b"MAIL FROM:<>").expect("parses"),
            Command::Mail {
                path: Path::Null,
                params: ""
            }
        );
        assert_eq!(
            parse(b"RCPT TO: <@relay.example:x@y.example>").expect("parses"),
            Command::Rcpt {
                path: Path::Address("x@y.example"),
                params: ""
            }
        );
        assert_eq!(
            parse(b"RCPT TO:<\"a>b\"@y.example>").expect("parses"),
            Command::Rcpt {
                path: Path::Address("\"a>b\"@y.example"),
                params: ""
            }
        );
    }

    #[test]
    fn refuses_malformed_paths() {
        for bad in [
            &b"MAIL FROM:a@b.example"[..],
            b"MAIL FROM:<a@b.example",
            b"MAIL FROM:<a@b.example>junk",
            b"MAIL TO:<a@b.example>",
            b"RCPT TO:<<a@b.example>>",
            b"RCPT TO:<@relay.example>",
        ] {
            assert!(
                parse(bad).is_err(),
                "{:?} should not parse",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn sorts_verbs_into_known_not_implemented_and_unknown() {
        assert_eq!(
            parse(b"EXPN staff").expect("parses"),
            Command::NotImplemented
        );
        assert_eq!(
            parse(b"BDAT 100 LAST").expect("parses"),
            Command::NotImplemented
        );
        assert_eq!(
            parse(b"\xff\xfe").expect("parses"),
            Command::Unknown(b"\xff\xfe")
        );
        assert_eq!(
            parse(b"EHLO").expect_err("needs a host"),
            SyntaxError::BadHelo
        );
        assert_eq!(
            parse(b"QUIT now").expect_err("no args"),
            SyntaxError::UnexpectedArguments
        );
        assert_eq!(
            parse(b"AUTH PLAIN AGEA=").expect("parses"),
            Command::Auth {
                mechanism: "PLAIN",
                initial: Some("AGEA=")
            }
        );
    }
}
