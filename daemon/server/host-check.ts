/**
 * DNS rebinding: a web page whose name an attacker re-points at 127.0.0.1 reaches a loopback
 * listener from the victim's browser, and the browser sends the attacker's name as `Host`. Every
 * listener answers only hosts that cannot be rebound: IP literals (a browser sends the literal it
 * connected to), `localhost` and its subdomains (browsers resolve them to loopback themselves), and
 * the names the operator configured with `--allowed-host` (`.example.com` allows its subdomains).
 */
import { isIP } from 'node:net';

/** A Host header's problem, or undefined when the listener may answer it. */
export type HostCheck = (host: string | undefined) => string | undefined;

/** The name part of a Host header: `[::1]:8080` → `::1`, `Example.COM.:80` → `example.com`. */
function hostname(header: string): string {
  const bracketed = /^\[([^\]]*)\](?::\d*)?$/.exec(header);
  const name = bracketed ? bracketed[1]! : header.replace(/:\d*$/, '');
  return name.toLowerCase().replace(/\.$/, '');
}

export function hostCheck(allowedHosts: readonly string[] = []): HostCheck {
  const allowed = allowedHosts.map((h) => h.toLowerCase().replace(/\.$/, ''));
  const matches = (name: string) => allowed.some((a) => (a.startsWith('.') ? name.endsWith(a) || name === a.slice(1) : name === a));
  return (header) => {
    // HTTP/1.0 clients may send none; browsers always do.
    if (header === undefined || header === '') return undefined;
    const name = hostname(header);
    if (isIP(name) || name === 'localhost' || name.endsWith('.localhost') || matches(name)) return undefined;
    return `Host "${header}" is not a name of this listener: only IP addresses, localhost and --allowed-host names are answered (DNS rebinding)`;
  };
}
