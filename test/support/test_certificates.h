// Self-signed TLS certificates for the HTTPS tests, generated at test time with the OpenSSL C API (no
// key material lives in the repository).
//
// localhost_certificate() is what the fake HTTP servers present; clients trust it by using its cert_file
// as their only CA (CURLOPT_CAINFO). other_certificate() is an unrelated self-signed certificate with the
// same names, so trusting it instead must make verification fail for the trust reason alone.
//
// Each is created once per process (thread-safe) in its own private temporary directory, which is removed
// at exit. Both throw std::runtime_error when OpenSSL or the file system fails.
#pragma once

#include <string>

namespace wavefront::testing {

struct TestCertificate {
  std::string cert_file;  // PEM certificate: CN=localhost, SAN DNS:localhost, IP:127.0.0.1, IP:::1
  std::string key_file;   // PEM private key (RSA 2048, unencrypted)
  std::string cert_pem;   // the certificate file's contents
};

// Valid from one hour ago for two days; basicConstraints CA:TRUE so that it is its own trust anchor.
const TestCertificate& localhost_certificate();

// A second, unrelated key pair and certificate with the same subject and names.
const TestCertificate& other_certificate();

}  // namespace wavefront::testing
