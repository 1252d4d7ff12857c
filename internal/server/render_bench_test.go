package server_test

import (
	"testing"

	"github.com/versus-dev/versus/internal/catalog"
	"github.com/versus-dev/versus/internal/server"
	"github.com/versus-dev/versus/internal/synth"
)

// BenchmarkStartup is start-up on 1,000 synthetic articles once they are
// parsed: "ready" is server.New returning, when every page can be served;
// "compressed" also waits for the background gzip and brotli variants.
func BenchmarkStartup(b *testing.B) {
	cat, err := catalog.Load(synth.FS(1000))
	if err != nil {
		b.Fatal(err)
	}
	for _, wait := range []bool{false, true} {
		name := "ready"
		if wait {
			name = "compressed"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				srv, err := server.New(cat, server.Options{})
				if err != nil {
					b.Fatal(err)
				}
				if wait {
					<-srv.Compressed()
				} else {
					b.StopTimer()
					<-srv.Compressed() // so the next round starts on idle cores
					b.StartTimer()
				}
			}
		})
	}
}
