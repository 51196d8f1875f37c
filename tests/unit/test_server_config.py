"""The ``server:`` section: ``public_url`` is a plain http(s) address, and links fall back to http://HOST:PORT."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.settings import load_settings
from core.errors import ConfigError


def test_links_start_with_the_public_url_without_its_trailing_slash(tmp_path: Path) -> None:
    settings = load_settings(None, env={})
    assert settings.server.base_url() == "http://127.0.0.1:8080"
    path = tmp_path / "helpline.yaml"
    path.write_text("server:\n  host: '::'\n  port: 9000\n")
    assert load_settings(path, env={}).server.base_url() == "http://[::]:9000"
    path.write_text("server:\n  public_url: ' https://help.example.com/desk/ '\n")
    assert load_settings(path, env={}).server.base_url() == "https://help.example.com/desk"
    env = {"HELPLINE_SERVER__PUBLIC_URL": "https://support.example.org"}
    assert load_settings(None, env=env).server.base_url() == "https://support.example.org"


@pytest.mark.parametrize(
    "url", ["help.example.com", "ftp://help.example.com", "https://", "https://a@help.example.com", "https://h/?x=1"]
)
def test_a_public_url_that_is_not_a_plain_web_address_names_file_and_key(tmp_path: Path, url: str) -> None:
    path = tmp_path / "helpline.yaml"
    path.write_text(f"server:\n  public_url: '{url}'\n")
    with pytest.raises(ConfigError) as info:
        load_settings(path, env={})
    assert info.value.path == str(path) and info.value.key == "server.public_url"
    assert "is not an http:// or https:// address like https://help.example.com" in info.value.problem
