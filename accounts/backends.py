from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    """Django's model backend, loading the user's profile and leader record with the user.

    Every page needs both (accounts.roles.person_of); joining them here saves a query per page.
    """

    def get_user(self, user_id):
        try:
            user = (
                get_user_model()
                ._default_manager.select_related("profile__department", "leader")
                .get(pk=user_id)
            )
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
