//go:build !unix

package catalog

// oNonblock is 0 where the system has no such flag (Windows has no named
// pipes in a folder).
const oNonblock = 0
