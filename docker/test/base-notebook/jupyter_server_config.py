# Server settings of the docker-stacks images (their /etc/jupyter/jupyter_server_config.py):
# listen on all interfaces of the container, no browser, delete without a trash folder in the
# home volume. The port is left to the default (8888) or to whoever starts the server
# (JupyterHub passes --port), never fixed here.
c = get_config()  # noqa: F821 (provided by Jupyter when it loads this file)
c.ServerApp.ip = "0.0.0.0"
c.ServerApp.open_browser = False
c.FileContentsManager.delete_to_trash = False
