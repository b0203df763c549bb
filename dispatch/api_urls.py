from django.urls import path

from dispatch import api, offline

urlpatterns = [
    path("tasks/", api.MyTasksView.as_view(), name="api-my-tasks"),
    path("tasks/<int:task_id>/", api.TaskDetailView.as_view(), name="api-task"),
    path("tasks/<int:task_id>/accept/", api.AcceptTaskView.as_view(), name="api-task-accept"),
    path("tasks/<int:task_id>/progress/", api.ProgressTaskView.as_view(), name="api-task-progress"),
    path("tasks/<int:task_id>/finish/", api.FinishTaskView.as_view(), name="api-task-finish"),
    path("tasks/<int:task_id>/return/", api.ReturnTaskView.as_view(), name="api-task-return"),
    path(
        "tasks/<int:task_id>/extension/",
        api.RequestExtensionView.as_view(),
        name="api-task-extension",
    ),
    path(
        "tasks/<int:task_id>/suspension/",
        api.RequestSuspensionView.as_view(),
        name="api-task-suspension",
    ),
    path("tasks/<int:task_id>/escalate/", api.EscalateTaskView.as_view(), name="api-task-escalate"),
    path(
        "extensions/<int:extension_id>/approve/",
        api.ApproveExtensionView.as_view(),
        name="api-extension-approve",
    ),
    path(
        "extensions/<int:extension_id>/refuse/",
        api.RefuseExtensionView.as_view(),
        name="api-extension-refuse",
    ),
    path(
        "suspensions/<int:suspension_id>/approve/",
        api.ApproveSuspensionView.as_view(),
        name="api-suspension-approve",
    ),
    path(
        "suspensions/<int:suspension_id>/refuse/",
        api.RefuseSuspensionView.as_view(),
        name="api-suspension-refuse",
    ),
    path("patrol/", api.PatrolView.as_view(), name="api-patrol"),
    path("work/bundle/", offline.WorkBundleView.as_view(), name="api-work-bundle"),
    path("dispatch/queue/", api.DispatchQueueView.as_view(), name="api-dispatch-queue"),
    path(
        "reports/<str:number>/dispatch/",
        api.TicketDispatchView.as_view(),
        name="api-ticket-dispatch",
    ),
    path("reports/<str:number>/route/", api.RouteView.as_view(), name="api-ticket-route"),
    path("reports/<str:number>/reroute/", api.RerouteView.as_view(), name="api-ticket-reroute"),
    path(
        "reports/<str:number>/recategorise/",
        api.RecategoriseView.as_view(),
        name="api-ticket-recategorise",
    ),
    path("reports/<str:number>/merge/", api.MergeView.as_view(), name="api-ticket-merge"),
    path("reports/<str:number>/reject/", api.RejectView.as_view(), name="api-ticket-reject"),
    path("reports/<str:number>/suspend/", api.SuspendView.as_view(), name="api-ticket-suspend"),
    path("reports/<str:number>/resume/", api.ResumeView.as_view(), name="api-ticket-resume"),
    path("reports/<str:number>/close/", api.CloseView.as_view(), name="api-ticket-close"),
    path(
        "reports/<str:number>/send-back/", api.SendBackView.as_view(), name="api-ticket-send-back"
    ),
    path("reports/<str:number>/rework/", api.ReworkView.as_view(), name="api-ticket-rework"),
]
