//! Who listens on a loopback port, read from /proc (Linux only) rather than by connecting:
//! a probing connection would open a session the daemon under test logs. Shared by
//! siem-syslog's rsyslog tests and carepost's SIEM stream test (included by `#[path]`), which
//! both start rsyslogd on a port `free_port` has just released and must know whether rsyslogd
//! or another test binary took it.

use std::fs;

/// The socket inode of the listener on 127.0.0.1:`port`, if any.
pub(crate) fn listener_inode(port: u16) -> Option<u64> {
    let wanted = format!("0100007F:{port:04X}");
    fs::read_to_string("/proc/net/tcp")
        .unwrap_or_default()
        .lines()
        .skip(1)
        .find_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f.len() > 9 && f[1] == wanted && f[3] == "0A")
                .then(|| f[9].parse().ok())
                .flatten()
        })
}

/// Whether process `pid` holds the socket with `inode` open.
pub(crate) fn process_owns_socket(pid: u32, inode: u64) -> bool {
    let wanted = format!("socket:[{inode}]");
    fs::read_dir(format!("/proc/{pid}/fd"))
        .into_iter()
        .flatten()
        .flatten()
        .any(|fd| fs::read_link(fd.path()).is_ok_and(|t| t.as_os_str() == wanted.as_str()))
}
