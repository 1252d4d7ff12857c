package middleware

import "net/http"

// ContentSecurityPolicy allows only our own scripts, styles, images, fonts
// and manifest. Inline scripts are refused; JSON-LD blocks
// (<script type="application/ld+json">) are data, never executed, so the
// policy does not affect them.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; manifest-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// PermissionsPolicy turns off the powerful browser features the site never
// uses, so an injected script or embedded frame could not use them either.
// browsing-topics opts out of ad-interest tracking; its predecessor
// interest-cohort (FLoC) is left out because current Chrome logs an
// "unrecognized feature" console error for it.
const PermissionsPolicy = "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), display-capture=(), " +
	"geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"

// HSTS tells browsers to use HTTPS only, for two years, including
// subdomains. Send it only when the site really is served over TLS.
const HSTS = "max-age=63072000; includeSubDomains"

// securityHeaders are preformatted once: setting them is a map assignment
// per header, no formatting or allocation per request.
var securityHeaders = [...]struct {
	key   string
	value []string
}{
	{"Content-Security-Policy", []string{ContentSecurityPolicy}},
	{"X-Content-Type-Options", []string{"nosniff"}},
	{"Referrer-Policy", []string{"strict-origin-when-cross-origin"}},
	{"Permissions-Policy", []string{PermissionsPolicy}},
	{"Cross-Origin-Opener-Policy", []string{"same-origin"}},
	{"Cross-Origin-Resource-Policy", []string{"same-origin"}},
	{"X-Frame-Options", []string{"DENY"}},
}

var hstsH = []string{HSTS}

// SecurityHeaders sets the headers that make the browser refuse what the
// site never does: foreign scripts, framing, sniffing content types,
// leaking full URLs to other sites. hsts adds Strict-Transport-Security;
// turn it on only when serving TLS, or a plain-HTTP deployment locks
// browsers out.
func SecurityHeaders(hsts bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			for _, sh := range securityHeaders {
				h[sh.key] = sh.value
			}
			if hsts {
				h["Strict-Transport-Security"] = hstsH
			}
			next.ServeHTTP(w, r)
		})
	}
}
