/// Whether a name lies in a name-constraint subtree, form by form, as RFC 5280 4.2.1.10
/// defines it. Names of different forms never match; the caller pairs them by form.
enum SubtreeMatch {
    /// True when `name` lies in the subtree rooted at `base` (both of one form).
    ///
    /// With `mayExpand`, a wildcard dNSName counts as every name it could stand for, and it
    /// matches when any of them would: an excluded subtree must not be reachable through a
    /// wildcard (`*.example.com` against excluded `bar.example.com`; CVE-2025-61727). For a
    /// permitted subtree the plain test is already the strict one: `*.example.com` lies in
    /// `example.com` but not in `foo.example.com`.
    static func name(_ name: GeneralName, isWithin base: GeneralName, mayExpand: Bool = false) -> Bool {
        switch (name, base) {
        case (.dns(let host), .dns(let domain)):
            let host = normalized(host)
            let domain = normalized(domain)
            if isInDomain(host, domain) { return true }
            guard mayExpand, host.hasPrefix("*.") else { return false }
            // `*.R` stands for `L.R`; a base of exactly one more label than R is reachable.
            let rest = host.dropFirst(2)
            guard let dot = domain.firstIndex(of: ".") else { return false }
            return domain[domain.index(after: dot)...] == rest
        case (.email(let mailbox), .email(let constraint)):
            return mailboxIsWithin(mailbox, constraint)
        case (.uri(let uri), .uri(let constraint)):
            guard let host = host(ofURI: uri) else { return false }
            return hostIsWithin(normalized(host), normalized(constraint))
        case (.ip(let address), .ip(let range)):
            guard range.count == 2 * address.count else { return false }
            let network = range[0..<address.count]
            let mask = range[address.count...]
            return zip(zip(address, network), mask).allSatisfy { pair, mask in pair.0 & mask == pair.1 & mask }
        case (.directory(let distinguished), .directory(let subtree)):
            return distinguished.isWithin(subtree)
        default:
            return false
        }
    }

    /// Lowercased, without one trailing dot.
    private static func normalized(_ host: String) -> String {
        let lower = host.lowercased()
        return lower.hasSuffix(".") && lower.count > 1 ? String(lower.dropLast()) : lower
    }

    /// dNSName: the domain itself or any name below it; the empty domain holds every name.
    private static func isInDomain(_ host: String, _ domain: String) -> Bool {
        domain.isEmpty || host == domain || host.hasSuffix("." + domain)
    }

    /// URI and rfc822Name hosts: `.domain` means strictly below it, `host` exactly that host.
    private static func hostIsWithin(_ host: String, _ constraint: String) -> Bool {
        constraint.hasPrefix(".") ? host.hasSuffix(constraint) : host == constraint
    }

    /// rfc822Name: `local@host` is that mailbox (local part exact, host case-insensitive);
    /// `host` is every mailbox at that host; `.domain` every mailbox at a host below it.
    private static func mailboxIsWithin(_ mailbox: String, _ constraint: String) -> Bool {
        let parts = mailbox.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else { return false }
        let bounds = constraint.split(separator: "@", omittingEmptySubsequences: false)
        if bounds.count == 2 {
            return parts[0] == bounds[0] && normalized(String(parts[1])) == normalized(String(bounds[1]))
        }
        return hostIsWithin(normalized(String(parts[1])), normalized(constraint))
    }

    /// The host of `scheme://[userinfo@]host[:port][/...]`; nil for a URI without an
    /// authority (`urn:...`) or with an IP literal, which no URI constraint can hold.
    static func host(ofURI uri: String) -> String? {
        guard let schemeEnd = uri.range(of: "://") else { return nil }
        var authority = uri[schemeEnd.upperBound...]
        if let end = authority.firstIndex(where: { "/?#".contains($0) }) { authority = authority[..<end] }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        guard !authority.hasPrefix("[") else { return nil }
        if let colon = authority.lastIndex(of: ":") { authority = authority[..<colon] }
        guard !authority.isEmpty, IPAddress(String(authority)) == nil else { return nil }
        return String(authority)
    }
}
