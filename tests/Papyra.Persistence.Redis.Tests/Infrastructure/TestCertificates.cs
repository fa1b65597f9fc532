using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Papyra.Persistence.Redis.Tests.Infrastructure;

/// <summary>
/// A private certificate authority and a server certificate it signed for 127.0.0.1, written as PEM
/// files to a temporary directory (generated in-process: no openssl needed), deleted on dispose.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly string _directory;

    private TestCertificates(string directory)
    {
        _directory = directory;
    }

    public string CaCertificatePath => Path.Combine(_directory, "ca.pem");

    public string ServerCertificatePath => Path.Combine(_directory, "server.pem");

    public string ServerKeyPath => Path.Combine(_directory, "server.key");

    public static TestCertificates Create()
    {
        string directory = Path.Combine(Path.GetTempPath(), "papyra-tls-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var files = new TestCertificates(directory);
        DateTimeOffset now = DateTimeOffset.UtcNow;

        using RSA caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Papyra test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, critical: false));
        using X509Certificate2 ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        using RSA serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: false));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using X509Certificate2 server = serverRequest.Create(ca, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(16));

        File.WriteAllText(files.CaCertificatePath, ca.ExportCertificatePem());
        File.WriteAllText(files.ServerCertificatePath, server.ExportCertificatePem());
        File.WriteAllText(files.ServerKeyPath, serverKey.ExportPkcs8PrivateKeyPem());
        return files;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the temp directory is not the test's subject.
        }
    }
}
