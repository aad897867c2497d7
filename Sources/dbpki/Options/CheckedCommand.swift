import ArgumentParser

/// Checks a command makes of its values once the whole command line has parsed.
///
/// swift-argument-parser runs `validate()` before it looks for arguments nobody used, so a
/// misspelt flag was reported as whatever the values lacked (`dbpki issue inter --dir pki --ca`
/// said "a server certificate needs at least one --dns or --ip"). `DBPKICommand.main` calls
/// `check()` after `parseAsRoot` has succeeded instead: an unknown option comes first, and a
/// `ValidationError` from here is still one `error: MESSAGE (see --help)` line with exit 64.
protocol CheckedCommand {
    func check() throws
}
