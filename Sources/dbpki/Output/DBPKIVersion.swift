/// The version of this build of dbpki.
enum DBPKIVersion {
    static let text = "0.1.0"
}
