# syntax=docker/dockerfile:1
# versus: one static binary with its articles, templates and assets embedded.
# Build: docker build --build-arg VERSION=$(git describe --always --dirty) --build-arg COMMIT=$(git rev-parse HEAD) -t versus .
# Run:   docker run -p 8080:8080 versus

FROM golang:1.26 AS build
WORKDIR /src
# Modules first, so a source edit does not download them again.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
ARG COMMIT=
# The generated *_templ.go files are committed (CI checks they are fresh),
# so no templ step here. internal/e2e's TestDockerfileBuild runs this exact
# line and checks the binary is static.
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT}" -o /out/versus ./cmd/versus

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/versus /versus
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/versus"]
