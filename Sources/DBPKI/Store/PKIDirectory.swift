import Foundation

/// A PKI directory on disk: the issuing CA, every certificate issued from it, and the
/// inventory that records them.
///
///     PKI/ca.crt                    the issuing (current) CA certificate (PEM)
///     PKI/ca.key                    its key (PEM PKCS#8, 0600)
///     PKI/root.crt                  in a PKI whose CA is an intermediate only: the CA
///                                   certificates above ca.crt, its issuer first, up to and
///                                   including the root (``PKIStore/chainAbove()``)
///     PKI/root-old.crt              during the rollover of an intermediate only: the chain
///                                   above ca-old.crt
///     PKI/intermediates/SERIAL.crt  an intermediate CA this PKI's CA signed (`init --parent`)
///     PKI/ca-old.crt, ca-old.key    during a CA rollover only: the previous CA, still
///                                   trusted (bundles carry it after ca.crt), no longer issuing
///     PKI/issued/NAME.crt           an issued certificate (PEM)
///     PKI/issued/NAME.key           its key (PEM PKCS#8, 0600)
///     PKI/history/NAME-SERIAL.crt   a certificate replaced by `renew` (or `issue --force`)
///     PKI/history/ca-SERIAL.crt     a CA taken out of service by `ca retire-old`, with its
///     PKI/history/ca-SERIAL.key     key (0600; archive it offline or delete it when no CRL
///                                   will be signed with it again)
///     PKI/inventory.sqlite          the inventory (``Inventory``), 0600
///     PKI/.lock                     the lock file every dbpki process takes (``PKILock``)
///     PKI/.staging/                 new files before they are renamed into place (empty
///                                   between commands)
///
/// Files are PEM and keys unencrypted PKCS#8, so a directory made with one engine is
/// used by the other unchanged. A directory made before the inventory existed (only
/// `ca.crt`, `ca.key` and `issued/`) is adopted on first use: its files are recorded.
/// An inventory that exists but cannot be read is never replaced that way (it holds what
/// the files cannot tell: revocations, CRL numbers). Changes go through ``PKIStore``,
/// which holds the lock and keeps files and inventory consistent across crashes.
///
/// The folders and files dbpki creates, moves or deletes inside the directory
/// (``linkCheckedEntries``) must not be symbolic links; the directory itself may be one.
public struct PKIDirectory: Sendable {
    /// The directory.
    public let path: String

    /// Opens (without touching the disk) the PKI directory at `path`, made absolute.
    public init(_ path: String) {
        self.path = FilePaths.absolute(path)
    }

    /// `PKI/ca.crt`.
    public var caCertificatePath: String { path + "/ca.crt" }
    /// `PKI/ca.key`.
    public var caKeyPath: String { path + "/ca.key" }
    /// `PKI/root.crt`: the chain above an intermediate CA, up to and including the root.
    public var chainAbovePath: String { path + "/" + Self.chainAboveFile }
    /// The name of ``chainAbovePath`` inside the directory.
    public static let chainAboveFile = "root.crt"
    /// `PKI/root-old.crt`: during the rollover of an intermediate, the chain above the old CA.
    public var oldChainAbovePath: String { path + "/" + Self.oldChainAboveFile }
    /// The name of ``oldChainAbovePath`` inside the directory.
    public static let oldChainAboveFile = "root-old.crt"
    /// The folder (relative to PKI) that keeps a copy of each intermediate CA this PKI signed.
    public static let intermediatesFolder = "intermediates"
    /// `PKI/issued`.
    public var issuedPath: String { path + "/issued" }
    /// `PKI/issued/NAME.crt`.
    public func certificatePath(of name: String) -> String { "\(issuedPath)/\(name).crt" }
    /// `PKI/issued/NAME.key`.
    public func keyPath(of name: String) -> String { "\(issuedPath)/\(name).key" }
    /// `PKI/ca-old.crt`: the previous CA during a rollover.
    public var oldCACertificatePath: String { path + "/ca-old.crt" }
    /// `PKI/ca-old.key`.
    public var oldCAKeyPath: String { path + "/ca-old.key" }
    /// `PKI/history`.
    public var historyPath: String { path + "/" + Self.historyFolder }
    /// `PKI/inventory.sqlite`.
    public var inventoryPath: String { path + "/inventory.sqlite" }
    /// `PKI/.lock`.
    public var lockPath: String { path + "/.lock" }
    /// `PKI/.staging`.
    public var stagingPath: String { path + "/" + Self.stagingFolder }

    /// The entries (relative to PKI) that dbpki writes through and so refuses as symbolic links.
    public static let linkCheckedEntries = [
        stagingFolder, historyFolder, "issued", intermediatesFolder, "inventory.sqlite", "inventory.sqlite-journal",
        ".lock",
    ]

    /// The symbolic links at ``linkCheckedEntries``, in that order.
    public func plantedLinks() -> [SymbolicLink] {
        Self.linkCheckedEntries.compactMap { SymbolicLink.at(absolute($0)) }
    }

    /// This directory with its path resolved when the path itself is a symbolic link (a PKI
    /// directory given as a link is fine; it is resolved once, so the link cannot change
    /// under a running command).
    public func resolvingLink() -> PKIDirectory {
        guard SymbolicLink.at(path) != nil, let resolved = realpath(path, nil) else { return self }
        defer { free(resolved) }
        return PKIDirectory(String(cString: resolved))
    }

    /// The folder (relative to PKI) superseded certificates and retired CAs move to.
    public static let historyFolder = "history"
    /// The folder (relative to PKI) new files are written to before they are renamed into place.
    public static let stagingFolder = ".staging"

    /// `path` relative to the PKI directory, made absolute.
    public func absolute(_ relative: String) -> String { path + "/" + relative }

    /// Checks a certificate NAME: it becomes a file name, so only letters, digits,
    /// `.`, `_` and `-`, at most 64 characters, not starting with `.` or `-`.
    public static func validate(name: String) throws {
        let allowed = name.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)))
                || "._-".unicodeScalars.contains($0)
        }
        guard !name.isEmpty, name.count <= 64, allowed, !name.hasPrefix("."), !name.hasPrefix("-") else {
            throw PKIError(
                .invalidArgument,
                "'\(TextEscaping.printable(name, limit: 64))' is not a usable name (letters, digits, '.', '_' and '-'; at most 64; not starting with '.' or '-')"
            )
        }
    }

    /// True when a CA certificate or key is present.
    public var hasCA: Bool {
        FileManager.default.fileExists(atPath: caCertificatePath) || FileManager.default.fileExists(atPath: caKeyPath)
    }
}
