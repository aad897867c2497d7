import Testing

@testable import DBPKI

@Suite("Name constraints are decided in the core, form by form (RFC 5280 4.2.1.10)")
struct NameConstraintsTests {
    private func constraints(permitted: [GeneralName]? = nil, excluded: [GeneralName]? = nil) -> NameConstraints {
        NameConstraints(permitted: permitted, excluded: excluded, critical: true)
    }

    private func ipRange(_ address: String, _ prefix: Int) -> GeneralName {
        let bytes = IPAddress(address)!.bytes
        let mask = (0..<bytes.count).map { index -> UInt8 in
            let bits = min(8, max(0, prefix - 8 * index))
            return bits == 0 ? 0 : UInt8(truncatingIfNeeded: 0xff << (8 - bits))
        }
        return .ip(bytes + mask)
    }

    @Test("a dNSName lies in its domain and below it, case-insensitively and with a trailing dot, not beside it")
    func dnsSubtrees() {
        let base = GeneralName.dns("example.com")
        #expect(SubtreeMatch.name(.dns("example.com"), isWithin: base))
        #expect(SubtreeMatch.name(.dns("DB1.Example.COM."), isWithin: base))
        #expect(!SubtreeMatch.name(.dns("badexample.com"), isWithin: base))
        #expect(!SubtreeMatch.name(.dns("example.com.evil"), isWithin: base))
        #expect(SubtreeMatch.name(.dns("anything.at.all"), isWithin: .dns("")))
    }

    @Test("a wildcard that could expand into an excluded subtree is rejected; one that cannot is not")
    func wildcardsAndExcludedSubtrees() {
        let forbidBar = constraints(excluded: [.dns("bar.example.com")])
        #expect(NameConstraintsRule.violation(of: forbidBar, by: [.dns("*.example.com")]) != nil)
        #expect(NameConstraintsRule.violation(of: forbidBar, by: [.dns("*.other.example.com")]) == nil)
        #expect(NameConstraintsRule.violation(of: forbidBar, by: [.dns("foo.example.com")]) == nil)
        let forbidDeep = constraints(excluded: [.dns("a.b.example.com")])
        #expect(NameConstraintsRule.violation(of: forbidDeep, by: [.dns("*.example.com")]) == nil)
    }

    @Test("a wildcard is permitted only when every name it stands for is")
    func wildcardsAndPermittedSubtrees() {
        #expect(
            NameConstraintsRule.violation(
                of: constraints(permitted: [.dns("example.com")]), by: [.dns("*.example.com")]) == nil)
        #expect(
            NameConstraintsRule.violation(
                of: constraints(permitted: [.dns("foo.example.com")]), by: [.dns("*.example.com")])
                != nil)
    }

    @Test("a permitted list constrains only its own forms, and an excluded match wins over a permitted one")
    func formsAndPrecedence() {
        let onlyIPs = constraints(permitted: [ipRange("192.0.2.0", 24)])
        #expect(NameConstraintsRule.violation(of: onlyIPs, by: [.dns("db.example.com")]) == nil)
        #expect(NameConstraintsRule.violation(of: onlyIPs, by: [.ip(IPAddress("192.0.2.7")!.bytes)]) == nil)
        #expect(NameConstraintsRule.violation(of: onlyIPs, by: [.ip(IPAddress("198.51.100.7")!.bytes)]) != nil)
        #expect(NameConstraintsRule.violation(of: onlyIPs, by: [.ip(IPAddress("::1")!.bytes)]) != nil)
        let both = constraints(permitted: [.dns("example.com")], excluded: [.dns("example.com")])
        #expect(NameConstraintsRule.violation(of: both, by: [.dns("db.example.com")]) != nil)
    }

    @Test("rfc822Name subtrees: a mailbox exactly, a host, or every host below a .domain")
    func mailboxes() {
        #expect(SubtreeMatch.name(.email("foo@example.com"), isWithin: .email("foo@example.com")))
        #expect(!SubtreeMatch.name(.email("user@example.com"), isWithin: .email("*@example.com")))
        #expect(SubtreeMatch.name(.email("*@example.com"), isWithin: .email("*@example.com")))
        #expect(SubtreeMatch.name(.email("foo@EXAMPLE.com"), isWithin: .email("example.com")))
        #expect(!SubtreeMatch.name(.email("foo@mail.example.com"), isWithin: .email("example.com")))
        #expect(SubtreeMatch.name(.email("foo@mail.example.com"), isWithin: .email(".example.com")))
        #expect(!SubtreeMatch.name(.email("invalid@address@example.com"), isWithin: .email("example.com")))
    }

    @Test("URI subtrees look at the host: exactly, or strictly below a .domain; no host means no match")
    func uris() {
        #expect(SubtreeMatch.name(.uri("https://user@db.example.com:8443/x?y"), isWithin: .uri("db.example.com")))
        #expect(!SubtreeMatch.name(.uri("https://sub.db.example.com/"), isWithin: .uri("db.example.com")))
        #expect(SubtreeMatch.name(.uri("https://sub.example.com/"), isWithin: .uri(".example.com")))
        #expect(!SubtreeMatch.name(.uri("urn:uuid:1234"), isWithin: .uri("example.com")))
        #expect(!SubtreeMatch.name(.uri("https://[::1]/"), isWithin: .uri("example.com")))
    }

    @Test("a directoryName lies in a subtree whose RDNs begin it, compared case-insensitively")
    func directoryNames() {
        func name(_ pairs: [(String, String)]) -> DirectoryName {
            DirectoryName(rdns: pairs.map { [RFC4514.AttributeValue(oid: $0.0, value: .text($0.1))] })
        }
        let acme = name([("2.5.4.6", "DE"), ("2.5.4.10", "Acme")])
        #expect(name([("2.5.4.6", "DE"), ("2.5.4.10", "ACME  "), ("2.5.4.3", "db1")]).isWithin(acme))
        #expect(!name([("2.5.4.6", "DE"), ("2.5.4.10", "Other"), ("2.5.4.3", "db1")]).isWithin(acme))
        #expect(!name([("2.5.4.6", "DE")]).isWithin(acme))
    }

    @Test("a constraint on a form dbpki cannot match fails closed only where a name of that form appears")
    func unsupportedForms() {
        let forbidOtherName = constraints(excluded: [.unsupported(tag: 0)])
        #expect(NameConstraintsRule.violation(of: forbidOtherName, by: [.dns("db.example.com")]) == nil)
        #expect(NameConstraintsRule.violation(of: forbidOtherName, by: [.unsupported(tag: 0)]) != nil)
    }

    @Test("a leaf without subjectAltName is held to its host-name or IP common name, a CA's CN is not")
    func commonNameFallback() {
        let subject = DirectoryName(rdns: [
            [RFC4514.AttributeValue(oid: DirectoryName.commonName, value: .text("db.evil.com"))]
        ])
        var names = CertificateNames(subject: subject)
        let leaf = NameConstraintsRule.constrainedNames(names, isLeaf: true)
        #expect(leaf.contains(.dns("db.evil.com")))
        #expect(!NameConstraintsRule.constrainedNames(names, isLeaf: false).contains(.dns("db.evil.com")))
        names.alternativeNames = [.dns("db.example.com")]
        #expect(!NameConstraintsRule.constrainedNames(names, isLeaf: true).contains(.dns("db.evil.com")))
    }
}
