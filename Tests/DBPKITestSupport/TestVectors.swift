import DBPKI
import Foundation

/// Fixed keys and certificates made once with the openssl CLI, for shapes an engine reads but
/// dbpki never writes (PKCS#1 and SEC 1 keys, a 1024-bit RSA key, curves and names it does not use).
public enum TestVectors {
    /// A SEC 1 `ECPrivateKey` on P-256 (with parameters and public key).
    public static let sec1P256 = Hex.decode(
        "307702010104208fca6ea86d3e3b89e592e9be2f818c03087b9eab542ff66bc644782aa413a6bda00a06082a8648ce3d030107"
            + "a1440342000495a746968eaabcab5ebc4dfbf02c41637e017a5eabae4f56fcebfc2300d1d0486ea872f16586ab65fa9bf7"
            + "92a02a5d252e2babee123c376283c2f1f4474238b9")!
    /// A PKCS#1 `RSAPrivateKey` of 1024 bits (too small for authentication level 2).
    public static let pkcs1RSA1024 = Hex.decode(
        "3082025d02010002818100bfd592c373d2066a8b3354085ff9879e6b63fad27986cada4c78238a2fb0d88cc5e96477d2f2cb7541"
            + "7336260ed55b23040b21d8e8ddc6d56199fe2abf75dbf650c7d76e442b2249faea482fd6f47134a5b8fd81ebacef29542cf5"
            + "3b0318420263fa10d455518e9b2d77d626ca5d506c87535d5fa0047ef9d3b3a5e6f943324902030100010281803e846dd600"
            + "b2dba071490303cfb3547d4e6640e1c2f528bac7dd07480b8ec8a3e803cdd8370925414b592eb66c731fc66394f52ce9870d"
            + "3b91194c79c5f7b4fd1a85e595bef1f46f3265ec4ced039de60dbef85831ce30d60f631f37db07f54b9b9abbb75d55ad62fc"
            + "2d7afbde87e338c5bd11f250905c4f7624e60355619439024100e4e3a0dd50fa50ed340462d4e56d2d386c05295d0c67a462"
            + "1a3bdb011d2aa2d4c0041e7501ca2b58f9c354873464f8d90ecfa2493d6cbbbaa3d3f052d08d7ecb024100d68e5dfb1de9b3"
            + "1255418898a805da2cf0fb74efa6e21c6fd21a8b137191a9031a54eedf09baccb46940ec0b4c91e334e99e20c9053c95ead8"
            + "d9a475b2903cbb0240177118b091f291073a2498daa504a174fddb29795623e73a04e5cc7038c47d18bcf1af0cdcba0fe674"
            + "ee0462348382d8f8235bc3947ee65b1f1c3da8bda340310241008b4c311e1944a23b53d8d14b7343216c2e24c3bdd816532a"
            + "1239a373c3373388cd2eb94b5b30c93894614f1ee2de90a9c8c71e3804cb59f5f8460d6d50ba2e83024100977c2b58b5f815"
            + "1576e6105c49694dd75ed0a17e1e7945a140797d9ac8ccb237ce567529bc8e06bbd9d282c6086c6b0c4aced6a54695aac8c4"
            + "3ca5e00c9f8b6d")!
    /// A PKCS#8 X25519 key (an algorithm dbpki does not use).
    public static let pkcs8X25519 = Hex.decode(
        "302e020100300506032b656e04220420602279cf26622b1f2ad7ab5388f7338c6b69df5c92139464369f711862efed7f")!
    /// A SEC 1 key on secp256k1 (a curve dbpki does not use).
    public static let sec1Secp256k1 = Hex.decode(
        "3074020101042052248d089ddf0e33967ef47a29e3de1b7f923dbb675d2c5d5d9da76559c36d1da00706052b8104000aa1440342"
            + "000491e08f716d4fe92d1bb325ed738658034e2b39da2941ae79946eadd48f37a555a4670e8aec30688e47939c338557629b"
            + "0e9af05acf50393fc5d4ae401a868b41")!
    /// A CA certificate made by `openssl req`: serial -5, PrintableString and IA5String names, a multi-valued
    /// RDN, and otherName, directoryName and registeredID SAN entries.
    public static let opensslCLICertificate = Hex.decode(
        "3082023f308201e5a0030201020201fb300a06082a8648ce3d0403023058310b30090603550406130255533119300a060355040a"
            + "13034f7267300b060355040b1304556e697431123010060355040313094f6464202c4e616d65311a301806092a864886f70d0109"
            + "01160b6140622e6578616d706c65301e170d3236313132353232323133365a170d3236313230353232323133365a3058310b3009"
            + "0603550406130255533119300a060355040a13034f7267300b060355040b1304556e697431123010060355040313094f6464202c"
            + "4e616d65311a301806092a864886f70d010901160b6140622e6578616d706c653059301306072a8648ce3d020106082a8648ce3d"
            + "03010703420004bc6fdb0f54ff764a0483b432cf1916e46f74725cf3685b02e4e23ea08155f0177a68eb090f8cba62f83d68c01a"
            + "09f642d055b56afa821dad54c8803133be6bc0a3819f30819c30120603551d130101ff040830060101ff020102304d0603551d11"
            + "044630448209612e6578616d706c65a00e06032a0304a0070c0568656c6c6fa410300e310c300a0603550403130344697287040a"
            + "00000188022a03810b7840792e6578616d706c6530180603551d250411300f06082b0601050507030106032a0304301d0603551d"
            + "0e0416041488e6ac4c9d9a9b68c8d469efdd5e196357267323300a06082a8648ce3d0403020348003045022100ca5e5bc048c2f9"
            + "68d8e2355dc52db6ff36bb727c21e12e105f4f3375b2a59e640220722153f33eb503cdf91ae092788491d73d4ffadc456c0b1187"
            + "c94bf822a71090")!
    /// Its SEC 1 key.
    public static let opensslCLIKey = Hex.decode(
        "307702010104203eb9e51122f56a4745b7eb6f296062a44b751cbdb58e2d3267fdc451f2f957f2a00a06082a8648ce3d030107a1"
            + "4403420004bc6fdb0f54ff764a0483b432cf1916e46f74725cf3685b02e4e23ea08155f0177a68eb090f8cba62f83d68c01a09f6"
            + "42d055b56afa821dad54c8803133be6bc0")!
    /// A version 1 certificate made with `openssl req -x509` and `string_mask = default`: O and CN are
    /// BMPStrings, C and OU PrintableStrings, and it has no extensions.
    public static let bmpStringVersion1Certificate = Array(
        Data(
            base64Encoded: [
                "MIIBrTCCAVMCFBPlqy80ZF9wNjd07qbFC+jtgjZcMAoGCCqGSM49BAMCMFkxCzAJBgNVBAYTAkRFMSEwHwYDVQQKHhgAWgD8",
                "AHIAaQBjAGgAIAOpAG0AZQBnAGExDjAMBgNVBAsTBWZpcnN0MRcwFQYDVQQDHg4DqQArACAAdABlAHMAdDAeFw0yNjExMjUy",
                "MjE2NTVaFw0yNjExMjYyMjE2NTVaMFkxCzAJBgNVBAYTAkRFMSEwHwYDVQQKHhgAWgD8AHIAaQBjAGgAIAOpAG0AZQBnAGEx",
                "DjAMBgNVBAsTBWZpcnN0MRcwFQYDVQQDHg4DqQArACAAdABlAHMAdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABOzJGB7o",
                "LRnfM0rQGy2aNMjWe64GuhnSlAlBv/GWC054LuCa2VcfhsJZw1OMBouomh06rJ75PliZ+WA68RRN77EwCgYIKoZIzj0EAwID",
                "SAAwRQIhAPEv6Zib2qDTWnUIV5WE07XQCFjd5u0pJK2VJKWKy60GAiARbuuwgaLiMsvnHVxjB78f7eGo572zIL2v8IdMnXR2",
                "oA==",
            ].joined())!)

    /// A PKCS#10 request made by `openssl req -new` for a P-192 key (too weak to certify), asking
    /// for DNS:weak.example.com; its signature verifies.
    public static let p192Request = Hex.decode(
        "3081dc30819402010030143112301006035504030c097765616b20703139323049301306072a8648ce3d020106082a8648ce"
            + "3d0301010332000402c3beaef4ac6ac6d028bcbcace556a6925add89f4aa737c782674101d8b2aedbc0d7efd364fb13f53a4"
            + "6cadb5326820a02e302c06092a864886f70d01090e311f301d301b0603551d110414301282107765616b2e6578616d706c65"
            + "2e636f6d300a06082a8648ce3d0403020337003034021852a896feb673be210aa9b68855268434077fdb023468c6c6021816"
            + "c45eb13b8def68351a44e5dc80a33f304bd526473d5c9a")!
}
