// A small JSSE client for dbpki's interop tests: connects to a TLS redis-server with a PKCS#12
// truststore (and, for mutual TLS, a PKCS#12 keystore), checks the server's host name as HTTPS
// does, sends PING and prints the reply. Exit 0 on +PONG, 1 on another reply, 2 on any failure.
//
// java RedisPing HOSTNAME PORT TRUSTSTORE|- PASSWORD_FILE [KEYSTORE]
//   HOSTNAME is the name checked against the certificate; the connection always goes to 127.0.0.1.
//   TRUSTSTORE "-" uses the JVM's default trust (cacerts).

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

public final class RedisPing {
    public static void main(String[] args) {
        try {
            System.exit(ping(args));
        } catch (Exception e) {
            System.err.println(e.getClass().getName() + ": " + e.getMessage());
            System.exit(2);
        }
    }

    static KeyStore load(String path, char[] password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(path)) {
            store.load(in, password);
        }
        return store;
    }

    static int ping(String[] args) throws Exception {
        String hostname = args[0];
        int port = Integer.parseInt(args[1]);
        char[] password = Files.readAllLines(Path.of(args[3])).get(0).toCharArray();
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(args[2].equals("-") ? null : load(args[2], password));
        KeyManagerFactory keys = null;
        if (args.length > 4) {
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(args[4], password), password);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            plain.setSoTimeout(5000);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, hostname, port, true)) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                OutputStream out = socket.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                String reply = in.readLine();
                System.out.println(reply);
                return "+PONG".equals(reply) ? 0 : 1;
            }
        }
    }
}
