package pagecache

import "strings"

// The codings Accept-Encoding negotiation cares about.
const (
	codingBr = iota
	codingGzip
	codingIdentity
	codingAny // "*"
	nCodings
)

// Whether the client listed a coding, and if so whether it accepts it.
const (
	unlisted uint8 = iota
	accepted
	refused
)

// acceptance records, per coding, what the client's Accept-Encoding said.
type acceptance [nCodings]uint8

// allows applies RFC 9110 §12.5.3: a listed coding is acceptable unless its
// q is 0; an unlisted one takes the "*" entry's verdict; without "*", an
// unlisted coding is refused except identity, which is always acceptable
// unless excluded.
func (a *acceptance) allows(c int) bool {
	if a[c] != unlisted {
		return a[c] == accepted
	}
	if a[codingAny] != unlisted {
		return a[codingAny] == accepted
	}
	return c == codingIdentity
}

// parseAcceptEncoding reads every Accept-Encoding line without allocating.
// Elements it cannot read (a malformed q) are skipped, as if absent.
func parseAcceptEncoding(lines []string) acceptance {
	var a acceptance
	for _, line := range lines {
		for elem := range strings.SplitSeq(line, ",") {
			name, params, _ := strings.Cut(elem, ";")
			name = strings.TrimSpace(name)
			c := -1
			switch {
			case strings.EqualFold(name, "br"):
				c = codingBr
			case strings.EqualFold(name, "gzip"), strings.EqualFold(name, "x-gzip"):
				c = codingGzip
			case strings.EqualFold(name, "identity"):
				c = codingIdentity
			case name == "*":
				c = codingAny
			}
			if c < 0 {
				continue
			}
			ok, valid := qAccepts(params)
			if !valid {
				continue
			}
			if ok {
				a[c] = accepted
			} else {
				a[c] = refused
			}
		}
	}
	return a
}

// qAccepts reports whether the parameters of one element give a q above
// zero (no q means 1), and whether the q, if any, was well formed:
// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ).
func qAccepts(params string) (ok, valid bool) {
	for param := range strings.SplitSeq(params, ";") {
		k, v, found := strings.Cut(param, "=")
		if !found || !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		v = strings.TrimSpace(v)
		if v == "" || len(v) > 5 || (v[0] != '0' && v[0] != '1') {
			return false, false
		}
		rest := v[1:]
		if rest != "" {
			if rest[0] != '.' {
				return false, false
			}
			rest = rest[1:]
		}
		nonzero := v[0] == '1'
		for i := 0; i < len(rest); i++ {
			d := rest[i]
			if d < '0' || d > '9' || (v[0] == '1' && d != '0') {
				return false, false
			}
			if d != '0' {
				nonzero = true
			}
		}
		return nonzero, true
	}
	return true, true
}

// etagListMatches applies If-None-Match's weak comparison (RFC 9110
// §13.1.2): "*" matches any current representation, and W/"x" matches "x".
// etag is the quoted strong tag of the variant being served. A malformed
// list matches nothing, so the client gets a full response.
func etagListMatches(lines []string, etag string) bool {
	for _, s := range lines {
		for {
			s = strings.TrimLeft(s, " \t,")
			if s == "" {
				break
			}
			if s[0] == '*' {
				return true
			}
			s = strings.TrimPrefix(s, "W/")
			if len(s) < 2 || s[0] != '"' {
				return false
			}
			end := strings.IndexByte(s[1:], '"')
			if end < 0 {
				return false
			}
			tag := s[:end+2]
			if tag == etag {
				return true
			}
			s = s[end+2:]
		}
	}
	return false
}
