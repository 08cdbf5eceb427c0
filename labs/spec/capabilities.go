package spec

import (
	"slices"
	"strings"
)

// Capabilities are the Linux capability names a node may ask for under
// `cap_add:`, as Docker accepts them (`docker run --cap-add`), without the
// CAP_ prefix. Lab.yaml may write them in any case and with the prefix; the
// parser keeps this spelling. ALL is refused: a node that needs every
// capability says `privileged: true`, which learners see in `opslab show`.
//
// An engine may still refuse a name its kernel or its own bounding set lacks
// (e.g. an engine running in a container without CAP_SYS_RESOURCE refuses
// SYS_RESOURCE and `privileged`): the node then does not start, with Docker's
// reason.
var Capabilities = []string{
	"AUDIT_CONTROL", "AUDIT_READ", "AUDIT_WRITE", "BLOCK_SUSPEND", "BPF",
	"CHECKPOINT_RESTORE", "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER",
	"FSETID", "IPC_LOCK", "IPC_OWNER", "KILL", "LEASE", "LINUX_IMMUTABLE",
	"MAC_ADMIN", "MAC_OVERRIDE", "MKNOD", "NET_ADMIN", "NET_BIND_SERVICE",
	"NET_BROADCAST", "NET_RAW", "PERFMON", "SETFCAP", "SETGID", "SETPCAP",
	"SETUID", "SYSLOG", "SYS_ADMIN", "SYS_BOOT", "SYS_CHROOT", "SYS_MODULE",
	"SYS_NICE", "SYS_PACCT", "SYS_PTRACE", "SYS_RAWIO", "SYS_RESOURCE",
	"SYS_TIME", "SYS_TTY_CONFIG", "WAKE_ALARM",
}

// capability returns the canonical spelling of a capability name written in
// lab.yaml (NET_ADMIN for net_admin or CAP_NET_ADMIN), ok false if Docker
// knows no such capability.
func capability(name string) (string, bool) {
	c := strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(name)), "CAP_")
	return c, slices.Contains(Capabilities, c)
}
