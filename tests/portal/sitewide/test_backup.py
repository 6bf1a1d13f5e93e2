"""make backup / make restore: a round trip on the running engine (SQLite or PostgreSQL)."""

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from portal.news.factories import ArticlePageFactory
from portal.news.models import ArticlePage
from portal.sitewide import backup

# pg_dump and pg_restore use their own connections: the data must be committed.
# serialized_rollback puts back the rows migrations create (root page, locales)
# that the flush after a transactional test removes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def media(tmp_path, settings):
    root = tmp_path / "media"
    (root / "original_images").mkdir(parents=True)
    (root / "original_images" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (root / "documents").mkdir()
    (root / "documents" / "rapport-annuel.pdf").write_bytes(b"%PDF-1.7\n% rapport\n")
    settings.MEDIA_ROOT = str(root)
    settings.BACKUP_DIR = str(tmp_path / "backups")
    return root


def tree(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(Path(root).rglob("*")) if p.is_file()}


def test_backup_then_restore_brings_back_the_database_and_the_media(portal_site, media, tmp_path):
    kept = ArticlePageFactory(parent=portal_site["news"], title="Article sauvegardé")
    before_media = tree(media)
    before_titles = sorted(ArticlePage.objects.values_list("title", flat=True))
    archive = backup.create_backup()
    assert archive.parent == tmp_path / "backups" and archive.name.endswith(".tar.gz")

    # Everything changes after the backup: a page deleted, one added, media lost and added.
    ArticlePage.objects.get(pk=kept.pk).delete()
    ArticlePageFactory(parent=portal_site["news"], title="Écrit après la sauvegarde")
    (media / "original_images" / "logo.png").unlink()
    (media / "intrus.txt").write_text("ajouté après")

    manifest, safety = backup.restore_backup(archive, safety_directory=tmp_path / "safety")

    assert sorted(ArticlePage.objects.values_list("title", flat=True)) == before_titles
    assert ArticlePage.objects.get(pk=kept.pk).url_path == kept.url_path
    assert tree(media) == before_media
    assert manifest["engine"] == backup.engine()
    # What the restore replaced was saved first, and can itself be restored.
    with tarfile.open(safety) as saved:
        replaced = json.load(saved.extractfile("manifest.json"))
    assert "intrus.txt" in replaced["media"]
    backup.restore_backup(safety, safety_directory=tmp_path / "safety")
    assert ArticlePage.objects.filter(title="Écrit après la sauvegarde").exists()
    assert not ArticlePage.objects.filter(pk=kept.pk).exists()


def test_the_commands_round_trip(portal_site, media, tmp_path, capsys):
    ArticlePageFactory(parent=portal_site["news"], title="Par la commande")
    call_command("backup", output_dir=str(tmp_path / "out"))
    archive = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert archive.is_file()
    ArticlePage.objects.filter(title="Par la commande").delete()
    call_command("restore", str(archive), interactive=False)
    assert ArticlePage.objects.filter(title="Par la commande").exists()


def rewrite(archive, target, change):
    """A copy of an archive with its members passed through change(name, data) -> (name, data) or None."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            changed = change(member.name, data)
            if changed is None:
                continue
            info = tarfile.TarInfo(changed[0])
            info.size = len(changed[1])
            out.addfile(info, io.BytesIO(changed[1]))
    return target


def manifest_change(**fields):
    def change(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest.update(fields)
            return name, json.dumps(manifest).encode()
        return name, data

    return change


def damaged_media(name, data):
    return (name, data + b"!") if name.startswith("media/") else (name, data)


def hostile_path(name, data):
    return ("../../evil.txt", data) if name.startswith("media/documents") else (name, data)


@pytest.mark.parametrize(
    "change, reason",
    [
        (damaged_media, "does not match its checksum"),
        (lambda name, data: None if name == "manifest.json" else (name, data), "no valid manifest.json"),
        (manifest_change(engine="mysql"), "holds a mysql database"),
        (manifest_change(format=99), "not a backup this version can restore"),
        (manifest_change(migrations=["portal.9999_from_the_future"]), "newer version of the portal"),
        (hostile_path, "not a readable backup archive"),
    ],
    ids=["damaged", "no-manifest", "other-engine", "other-format", "newer-code", "path-traversal"],
)
def test_a_bad_archive_is_refused_before_anything_changes(portal_site, media, tmp_path, change, reason):
    archive = backup.create_backup()
    ArticlePageFactory(parent=portal_site["news"], title="Doit survivre")
    bad = rewrite(archive, tmp_path / "bad.tar.gz", change)
    before = tree(media)
    with pytest.raises(backup.BackupError, match=reason):
        backup.restore_backup(bad, safety_directory=tmp_path / "safety")
    assert ArticlePage.objects.filter(title="Doit survivre").exists()
    assert tree(media) == before
    assert not (tmp_path / "safety").exists()
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path.parent / "evil.txt").exists()


def test_a_file_that_is_not_an_archive_gets_a_clear_error(portal_site, media, tmp_path):
    junk = tmp_path / "notes.tar.gz"
    junk.write_text("pas une archive")
    with pytest.raises(CommandError, match="not a readable backup archive"):
        call_command("restore", str(junk), interactive=False)
    with pytest.raises(CommandError, match="No such backup"):
        call_command("restore", str(tmp_path / "absent.tar.gz"), interactive=False)


def test_restore_asks_for_confirmation(portal_site, media, monkeypatch):
    archive = backup.create_backup()
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(archive))


def test_visitors_see_the_restored_content_at_once(portal_site, media, tmp_path, client, settings):
    """#21: after a restore, no cached page of the replaced database is served."""
    settings.PAGE_CACHE_SECONDS = 300
    client.defaults["HTTP_HOST"] = "localhost"
    ArticlePageFactory(parent=portal_site["news"], title="Dans la sauvegarde")
    archive = backup.create_backup()
    later = ArticlePageFactory(parent=portal_site["news"], title="Après la sauvegarde")
    for _visit in range(2):  # cached, and served from the cache
        html = client.get("/fr/actualites/").content.decode()
        assert "Après la sauvegarde" in html
    assert client.get(later.url).status_code == 200
    backup.restore_backup(archive, safety_directory=tmp_path / "safety")
    html = client.get("/fr/actualites/").content.decode()
    assert "Dans la sauvegarde" in html and "Après la sauvegarde" not in html
    assert client.get(later.url).status_code == 404


def test_each_archive_is_copied_off_the_machine_and_old_ones_are_let_go(
    portal_site, media, tmp_path, settings, capsys
):
    # A folder mounted from another machine (NFS, a second disk): the copy is checked, then named.
    elsewhere = tmp_path / "ailleurs"
    settings.BACKUP_COPY_TO = str(elsewhere)
    settings.BACKUP_KEEP = 2
    made = []
    for _ in range(3):
        call_command("backup")
        made.append(Path(capsys.readouterr().out.strip().splitlines()[-1]))
    here = sorted(Path(settings.BACKUP_DIR).glob("*.tar.gz"))
    assert here == made[1:]  # the two newest stay on the machine
    assert sorted(p.name for p in elsewhere.iterdir()) == sorted(p.name for p in made)  # all three elsewhere
    assert (elsewhere / made[0].name).read_bytes()[:2] == b"\x1f\x8b"  # a gzip archive
    # The copy restores like the original.
    manifest, _safety = backup.restore_backup(elsewhere / made[-1].name, safety_directory=tmp_path / "safety")
    assert manifest["engine"] == backup.engine()


def test_an_archive_that_cannot_be_copied_off_fails_loudly_and_keeps_the_older_ones(
    portal_site, media, tmp_path, settings
):
    settings.BACKUP_KEEP = 1
    first = backup.create_backup()
    blocked = tmp_path / "fichier-pas-dossier"
    blocked.write_text("occupé")
    with pytest.raises(CommandError, match="could not be copied to"):
        call_command("backup", copy_to=str(blocked / "sous-dossier"))
    # Nothing was let go while the new archive is not safe elsewhere.
    assert first.exists() and len(list(Path(settings.BACKUP_DIR).glob("*.tar.gz"))) == 2


def test_an_archive_goes_to_the_bucket_named(portal_site, media, tmp_path, settings, monkeypatch):
    uploads = []

    class Bucket:
        def upload_file(self, filename, bucket, key):
            uploads.append((Path(filename).read_bytes()[:2], bucket, key))

    clients = []
    monkeypatch.setattr(backup.boto3, "client", lambda *args, **kwargs: clients.append(kwargs) or Bucket())
    settings.BACKUP_S3_ENDPOINT_URL = "https://s3.fr-par.scw.cloud"
    archive = backup.create_backup()
    assert backup.copy_off(archive, "s3://moroccotech-sauvegardes/portail/") == (
        f"s3://moroccotech-sauvegardes/portail/{archive.name}"
    )
    assert uploads == [(b"\x1f\x8b", "moroccotech-sauvegardes", f"portail/{archive.name}")]
    assert clients == [{"endpoint_url": "https://s3.fr-par.scw.cloud"}]
