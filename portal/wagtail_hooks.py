from wagtail import hooks

from portal import dashboard


@hooks.register("construct_homepage_panels")
def add_dashboard_panels(request, panels):
    dashboard.construct_panels(request, panels)
