# Server settings of the docker-stacks images: listen on all interfaces of the
# container, no browser. The port is left to the default (8888) or to whoever
# starts the server (JupyterHub passes --port), never fixed here.
c = get_config()  # noqa: F821 (provided by Jupyter when it loads this file)
c.NotebookApp.ip = "0.0.0.0"
c.NotebookApp.open_browser = False
c.ServerApp.ip = "0.0.0.0"
c.ServerApp.open_browser = False
