from django.contrib.auth import views as auth_views

from accounts.forms import PhoneLoginForm


class LoginView(auth_views.LoginView):
    form_class = PhoneLoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
