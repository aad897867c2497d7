import ArgumentParser
import DBPKI

/// The checks and the profile choice `issue` and `sign` share, so a leaf's names, role and
/// subject are judged alike whichever way its key came.
enum LeafProfileChecks {
    /// Each `--dns` must be a valid DNS name (not an address) and each `--ip` an address.
    static func checkNames(dns: [String], ip: [String]) throws {
        for host in dns {
            if IPAddress(host) != nil { throw ValidationError("'\(host)' is an IP address: use --ip \(host)") }
            guard DNSName.isValid(host) else { throw ValidationError("'\(host)' is not a valid DNS name") }
        }
        for address in ip where IPAddress(address) == nil {
            throw ValidationError(
                "'\(address)' is not an IPv4 or IPv6 address"
                    + (DNSName.isValid(address) ? ": use --dns \(address)" : ""))
        }
    }

    /// `--client` and `--member` exclude each other; a member needs O, OU or DC in `--subject`.
    static func checkRole(client: Bool, member: Bool, under: DistinguishedName) throws {
        if client && member { throw ValidationError("give either --client or --member, not both") }
        let memberTypes: Set<String> = ["2.5.4.10", "2.5.4.11", "0.9.2342.19200300.100.1.25"]
        if member && !under.attributes.contains(where: { memberTypes.contains($0.oid) }) {
            throw ValidationError(
                "--member needs --subject with O, OU or DC (such as \"O=Acme,OU=Databases\"): MongoDB tells cluster "
                    + "members by these, the same on every member")
        }
    }

    /// The core's profile for the role the flags chose (server unless `--client` or `--member`).
    static func profile(
        name: String, client: Bool, member: Bool, dns: [String], ips: [IPAddress], days: Int, under: DistinguishedName
    ) -> CertificateProfile {
        client
            ? .client(name: name, dns: dns, ips: ips, days: days, under: under)
            : member
                ? .member(name: name, dns: dns, ips: ips, days: days, under: under)
                : .server(name: name, dns: dns, ips: ips, days: days, under: under)
    }

    /// The role's word in reports.
    static func role(client: Bool, member: Bool) -> String { client ? "client" : member ? "member" : "server" }
}
