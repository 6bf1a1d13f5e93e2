from django.core.management.base import BaseCommand

from portal.settings.env import get_str
from portal.sitewide.setup import ensure_admin_user


class Command(BaseCommand):
    help = (
        'Make sure the "admin" superuser exists. Its password is ADMIN_PASSWORD if set, '
        "otherwise generated and printed once. An existing account is left unchanged."
    )

    def handle(self, *args, **options):
        password, created = ensure_admin_user(password=get_str("ADMIN_PASSWORD") or None)
        if not created:
            self.stdout.write('Admin account "admin" already exists (unchanged).')
        elif password:
            self.stdout.write(
                self.style.WARNING(
                    f'Created admin account "admin" with password: {password}\n'
                    "  It is shown only this once; change it in the admin (Account settings)."
                )
            )
        else:
            self.stdout.write('Created admin account "admin" with the password from ADMIN_PASSWORD.')
