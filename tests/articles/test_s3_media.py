"""Media in an S3-compatible bucket (MEDIA_STORAGE=s3, django-storages), against a local
S3-compatible server (moto's), as several app servers would share it."""

import socket

import pytest

from newsroom.settings import s3_media_storage
from tests.factories import ArticleFactory
from tests.images import stored_image

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

pytestmark = pytest.mark.django_db

BUCKET = "newsroom-media"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def bucket(settings, s3_endpoint, monkeypatch):
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    # The storage the settings build for MEDIA_STORAGE=s3.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_media_storage(
            {
                "S3_BUCKET_NAME": BUCKET,
                "S3_ENDPOINT_URL": s3_endpoint,
                "S3_REGION_NAME": "us-east-1",
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
            }
        ),
    }
    yield client
    objects = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for item in objects:
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def test_an_image_and_its_renditions_are_stored_in_the_bucket_cached_for_a_year(bucket):
    image = stored_image(size=(1000, 700))

    keys = {item["Key"] for item in bucket.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert keys == set(image.all_file_names())
    head = bucket.head_object(Bucket=BUCKET, Key=image.file.name)
    assert head["CacheControl"] == "public, max-age=31536000, immutable"
    assert head["ContentType"] == "image/jpeg"


def test_pages_link_to_the_bucket_with_plain_urls(bucket, client, s3_endpoint):
    image = stored_image(size=(1000, 700))
    article = ArticleFactory(featured_image=image)

    html = client.get(article.get_absolute_url()).content.decode()

    assert f'srcset="{s3_endpoint}/{BUCKET}/images/' in html
    assert "X-Amz-Signature" not in html
    # Absolute already: Open Graph takes it as it is.
    assert f'<meta property="og:image" content="{s3_endpoint}/{BUCKET}/images/' in html


def test_a_refused_image_leaves_nothing_in_the_bucket(bucket):
    from django.core.exceptions import ValidationError

    from articles import imaging
    from articles.models import Image
    from tests.images import image_bytes

    checked = imaging.check_image(image_bytes("PNG", (900, 600)))
    with pytest.raises(ValidationError):
        Image.objects.store(checked, title="No alt text")

    assert "Contents" not in bucket.list_objects_v2(Bucket=BUCKET)


def test_with_s3_the_csp_lets_images_come_from_the_bucket_and_nowhere_else():
    import json
    import os
    import subprocess
    import sys

    from django.conf import settings as django_settings

    env = {
        **os.environ,
        "SECRET_KEY": "x" * 50,
        "MEDIA_STORAGE": "s3",
        "S3_BUCKET_NAME": BUCKET,
        "S3_CUSTOM_DOMAIN": "media.news.example",
    }
    env.pop("MEDIA_URL", None)
    script = (
        "import json, newsroom.settings as s; print(json.dumps([s.MEDIA_URL, "
        "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'], s.SERVE_MEDIA]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    media_url, img_src, serve_media = json.loads(out.splitlines()[-1])
    assert media_url == "https://media.news.example/"
    assert img_src == ["'self'", "data:", "https://media.news.example"]
    assert serve_media is False
