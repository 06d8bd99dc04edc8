package storetest

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// A test binary's cluster that died by SIGKILL leaves its folder and its
// System V segment behind. The next test binary removes both, but not a
// segment whose id has since gone to another key.
func TestRemoveStaleClustersFreesTheirSegments(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	key := 0x5dA57000 + os.Getpid()%4096
	id, err := unix.SysvShmGet(key, 64, unix.IPC_CREAT|unix.IPC_EXCL|0o600)
	if err != nil {
		t.Skipf("no System V shared memory here: %v", err)
	}
	t.Cleanup(func() { unix.SysvShmCtl(id, unix.IPC_RMID, nil) })
	other, err := unix.SysvShmGet(key+1, 64, unix.IPC_CREAT|unix.IPC_EXCL|0o600)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.SysvShmCtl(other, unix.IPC_RMID, nil) })

	// A dead server's folder names its segment; another one names a key
	// that is not the key of the segment with its id.
	dead := staleCluster(t, "dastan-pg-dead", key, id)
	reused := staleCluster(t, "dastan-pg-reused", key+7, other)

	removeStaleClusters()
	for _, dir := range []string{dead, reused} {
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("%s is still there (%v)", dir, err)
		}
	}
	var ds unix.SysvShmDesc
	if _, err := unix.SysvShmCtl(id, unix.IPC_STAT, &ds); err == nil {
		t.Errorf("the dead cluster's segment %d is still there", id)
	}
	if _, err := unix.SysvShmCtl(other, unix.IPC_STAT, &ds); err != nil {
		t.Errorf("segment %d, whose key the folder did not name, was removed: %v", other, err)
	}
}

// staleCluster makes the folder of a cluster whose server is gone: its
// postmaster.pid names a process that does not run and the segment key
// and id, and it is older than any start.
func staleCluster(t *testing.T, name string, key, id int) string {
	dir := filepath.Join(os.TempDir(), name)
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o700); err != nil {
		t.Fatal(err)
	}
	pid := fmt.Sprintf("999999999\n%s/data\n1796040000\n5432\n%s\n127.0.0.1\n  %d     %d\nready   \n", dir, dir, key, id)
	if err := os.WriteFile(filepath.Join(dir, "data", "postmaster.pid"), []byte(pid), 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(dir, old, old); err != nil {
		t.Fatal(err)
	}
	return dir
}
