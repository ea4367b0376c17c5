"""Addresses phones can reach: the public URL the facilitator set, else this machine's LAN address."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

import psutil


def lan_address() -> str | None:
    """The first private IPv4 address of an interface that is up (Wi-Fi, Ethernet, a phone's hotspot)."""
    stats = psutil.net_if_stats()
    candidates: list[str] = []
    for name, addresses in psutil.net_if_addrs().items():
        if name in stats and not stats[name].isup:
            continue
        for address in addresses:
            if address.family != socket.AF_INET:
                continue
            ip = ipaddress.ip_address(address.address)
            if ip.is_loopback or ip.is_link_local:
                continue
            candidates.append(address.address)
    private = [a for a in candidates if ipaddress.ip_address(a).is_private]
    return (private or candidates or [None])[0]


def base_url(host: str, port: int, public_url: str | None) -> str:
    """What the QR code and the printed links point at. Never 127.0.0.1 while a LAN address exists."""
    if public_url:
        return public_url.rstrip("/")
    if host not in ("0.0.0.0", "::", ""):
        return f"http://{host}:{port}"
    return f"http://{lan_address() or '127.0.0.1'}:{port}"


def cookie_path(public_url: str | None) -> str:
    """The path the identity cookie is scoped to: the public URL's path (`/haut-vallon` behind a proxy that serves
    one territory per path), so that territories sharing a host never send, or overwrite, each other's cookie."""
    path = urlsplit(public_url).path.rstrip("/") if public_url else ""
    return path or "/"
