package labs

import (
	"io/fs"
	"os/user"
	"strconv"
	"syscall"
)

// fileOwner names the owner of a workspace file, for `file` checks with `owner:`.
func fileOwner(info fs.FileInfo) string {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	uid := strconv.Itoa(int(st.Uid))
	if u, err := user.LookupId(uid); err == nil {
		return u.Username
	}
	return uid
}
