# Start a throwaway S3 server for scripts (the cluster test, benchmarks):
# versitygw over a folder, on 127.0.0.1, with one bucket, as the media
# tests' helper (internal/media/s3test) starts it. Source this file, then
#   s3_start DIR PORT [BUCKET]
# starts it in the background (its pid in S3_PID, its log in DIR/s3.log),
# waits until it answers, and exports the DASTAN_MEDIA_S3_* settings every
# Dastan instance started afterwards uses; s3_stop ends it.
# versitygw comes from
#   go install github.com/versity/versitygw/cmd/versitygw@v1.8.0
# (.ci/run installs it).

s3_start() {
  local dir=$1 port=$2 bucket=${3:-dastan-media}
  local bin gobin
  bin=$(command -v versitygw || true)
  if [ -z "$bin" ]; then
    gobin="$(go env GOBIN)"; gobin="${gobin:-$(go env GOPATH)/bin}"
    bin="$gobin/versitygw"
  fi
  [ -x "$bin" ] || { echo "s3_start: versitygw is not installed (go install github.com/versity/versitygw/cmd/versitygw@v1.8.0)" >&2; return 1; }
  # A folder of the root is a bucket.
  mkdir -p "$dir/buckets/$bucket"
  "$bin" --access dastan-s3 --secret dastan-s3-secret --port "127.0.0.1:$port" --quiet posix "$dir/buckets" >"$dir/s3.log" 2>&1 &
  S3_PID=$!
  local i
  for i in $(seq 1 300); do
    if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
      export DASTAN_MEDIA_S3_BUCKET=$bucket DASTAN_MEDIA_S3_ENDPOINT=http://127.0.0.1:$port DASTAN_MEDIA_S3_REGION=us-east-1 \
        DASTAN_MEDIA_S3_ACCESS_KEY=dastan-s3 DASTAN_MEDIA_S3_SECRET_KEY=dastan-s3-secret
      return 0
    fi
    kill -0 "$S3_PID" 2>/dev/null || { echo "s3_start: versitygw exited:" >&2; cat "$dir/s3.log" >&2; return 1; }
    sleep 0.1
  done
  echo "s3_start: versitygw did not answer on 127.0.0.1:$port" >&2
  kill "$S3_PID"
  return 1
}

s3_stop() {
  [ -n "${S3_PID:-}" ] && kill "$S3_PID" 2>/dev/null && { wait "$S3_PID" 2>/dev/null || true; }
  S3_PID=
  return 0
}
