#!/bin/sh
# What the tests need from the machine beyond Node: etcd (the distributed store), an SSH server
# (remote Git over SSH), gpg (OpenPGP-signed commits) and Chromium (the console). As root on a Debian-like machine, install what is
# missing; elsewhere say what is missing — the tests that need it skip with a visible message.
# Never fails: a machine without these still runs every other test.
need=""
command -v etcd >/dev/null 2>&1 || [ -x /usr/bin/etcd ] || need="$need etcd-server"
command -v etcdctl >/dev/null 2>&1 || need="$need etcd-client"
[ -x /usr/sbin/sshd ] || need="$need openssh-server"
command -v ssh-keygen >/dev/null 2>&1 || need="$need openssh-client"
command -v gpg >/dev/null 2>&1 || need="$need gnupg"
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || need="$need chromium"
[ -z "$need" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "test-machine: installing$need"
  export DEBIAN_FRONTEND=noninteractive
  t=""; command -v timeout >/dev/null 2>&1 && t="timeout 900"
  $t apt-get update -qq >/dev/null 2>&1 || echo "test-machine: apt-get update failed"
  # shellcheck disable=SC2086
  $t apt-get install -y -qq --no-install-recommends $need >/dev/null 2>&1 \
    || echo "test-machine: could not install$need; the tests that need them will skip"
else
  echo "test-machine: missing$need (not root or no apt-get); the tests that need them will skip"
fi
exit 0
