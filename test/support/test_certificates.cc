// Generates the self-signed test certificates of test_certificates.h with the OpenSSL 3 C API and writes
// them to a private temporary directory that is removed at process exit.
#include "support/test_certificates.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <system_error>

namespace wavefront::testing {
namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* pointer) const { Free(pointer); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using KeyContextPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test certificate: ") + what + " failed");
}

KeyPtr make_rsa_key() {
  KeyContextPtr context(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  check(context != nullptr, "EVP_PKEY_CTX_new_from_name");
  check(EVP_PKEY_keygen_init(context.get()) == 1, "EVP_PKEY_keygen_init");
  check(EVP_PKEY_CTX_set_rsa_keygen_bits(context.get(), 2048) == 1, "EVP_PKEY_CTX_set_rsa_keygen_bits");
  EVP_PKEY* key = nullptr;
  check(EVP_PKEY_generate(context.get(), &key) == 1, "EVP_PKEY_generate");
  return KeyPtr(key);
}

void add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
  ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value));
  check(extension != nullptr, "X509V3_EXT_conf_nid");
  check(X509_add_ext(cert, extension.get(), -1) == 1, "X509_add_ext");
}

CertPtr make_certificate(EVP_PKEY* key) {
  CertPtr cert(X509_new());
  check(cert != nullptr, "X509_new");
  check(X509_set_version(cert.get(), 2) == 1, "X509_set_version");  // 2 means v3
  BignumPtr serial(BN_new());
  check(serial != nullptr && BN_rand(serial.get(), 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1, "BN_rand");
  check(BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) != nullptr, "serial");
  check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) != nullptr, "notBefore");
  check(X509_gmtime_adj(X509_getm_notAfter(cert.get()), 2L * 24 * 3600) != nullptr, "notAfter");
  check(X509_set_pubkey(cert.get(), key) == 1, "X509_set_pubkey");
  X509_NAME* name = X509_get_subject_name(cert.get());
  const unsigned char common_name[] = "localhost";
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, common_name, -1, -1, 0) == 1, "subject");
  check(X509_set_issuer_name(cert.get(), name) == 1, "issuer");
  add_extension(cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  add_extension(cert.get(), NID_key_usage, "critical,digitalSignature,keyEncipherment,keyCertSign");
  add_extension(cert.get(), NID_ext_key_usage, "serverAuth");
  add_extension(cert.get(), NID_subject_key_identifier, "hash");
  add_extension(cert.get(), NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1");
  check(X509_sign(cert.get(), key, EVP_sha256()) > 0, "X509_sign");
  return cert;
}

std::string bio_contents(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

void write_file(const std::filesystem::path& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
  out.close();
  check(out.good(), "writing a certificate file");
}

// Owns the temporary directory; removes it (and the files) at exit.
class CertificateStore {
 public:
  CertificateStore() {
    std::string pattern = (std::filesystem::temp_directory_path() / "wavefront-test-certs-XXXXXX").string();
    check(mkdtemp(pattern.data()) != nullptr, "mkdtemp");
    directory_ = pattern;
    try {
      localhost_ = generate("localhost");
      other_ = generate("other");
    } catch (...) {
      std::error_code ignored;
      std::filesystem::remove_all(directory_, ignored);
      throw;
    }
  }
  ~CertificateStore() {
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }
  CertificateStore(const CertificateStore&) = delete;
  CertificateStore& operator=(const CertificateStore&) = delete;

  const TestCertificate& localhost() const { return localhost_; }
  const TestCertificate& other() const { return other_; }

 private:
  TestCertificate generate(const std::string& stem) {
    KeyPtr key = make_rsa_key();
    CertPtr cert = make_certificate(key.get());
    BioPtr cert_bio(BIO_new(BIO_s_mem()));
    BioPtr key_bio(BIO_new(BIO_s_mem()));
    check(cert_bio && key_bio, "BIO_new");
    check(PEM_write_bio_X509(cert_bio.get(), cert.get()) == 1, "PEM_write_bio_X509");
    check(PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1,
          "PEM_write_bio_PrivateKey");
    TestCertificate result;
    result.cert_pem = bio_contents(cert_bio.get());
    result.cert_file = (directory_ / (stem + "-cert.pem")).string();
    result.key_file = (directory_ / (stem + "-key.pem")).string();
    write_file(result.cert_file, result.cert_pem);
    write_file(result.key_file, bio_contents(key_bio.get()));
    chmod(result.key_file.c_str(), S_IRUSR | S_IWUSR);
    return result;
  }

  std::filesystem::path directory_;
  TestCertificate localhost_;
  TestCertificate other_;
};

const CertificateStore& store() {
  static const CertificateStore instance;  // thread-safe initialization; a throw is retried next call
  return instance;
}

}  // namespace

const TestCertificate& localhost_certificate() { return store().localhost(); }
const TestCertificate& other_certificate() { return store().other(); }

}  // namespace wavefront::testing
