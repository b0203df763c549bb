from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from accounts import actions
from accounts.forms import PhoneLoginForm


class LoginView(auth_views.LoginView):
    form_class = PhoneLoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def inbox(request):
    """A person's in-app messages, newest first; POST marks them all read."""
    if request.method == "POST":
        actions.mark_read(recipient=request.user)
        return redirect("accounts:inbox")
    messages = request.user.notifications.all()
    page = Paginator(messages, 30).get_page(request.GET.get("page"))
    unread = messages.filter(read_at=None).count()
    return render(request, "accounts/inbox.html", {"page": page, "unread": unread})
