#!/usr/bin/env python3
"""Checks the deployment templates in docker/deploy (run by scripts/test-docker.sh).

Every YAML and JSON file must parse (CloudFormation's short tags such as !Ref
and !Sub included), and each template must hold what its guide promises:
  aws-ec2/dlnb-ec2.yaml     every Ref/GetAtt/Sub names a parameter, resource or
                            pseudo parameter; SSH is the only ingress; the user
                            data is docker/deploy/aws-ec2/user-data.sh (below
                            its settings block) and binds Jupyter to 127.0.0.1
  aws-ec2/class/dlnb-class-ec2.yaml   the same, but HTTPS (443) is the only public
                            port, SSH only as a conditional extra rule, and the
                            user data starts the class hub (docker/class/start.sh)
  jupyterhub/values.yaml    the docker-stacks user (1000, fsGid 100), a home
                            volume on /home/jovyan, idle culling on
  ecs-fargate/*.json        Fargate, awsvpc, port 8888, the token from a secret,
                            the home on EFS
  sagemaker/*.json          UID 1000 / GID 100, /home/sagemaker-user, base URL
                            /jupyterlab/default
  usage: check_deploy.py DEPLOY_DIR
"""
import json
import os
import re
import sys

import yaml

PSEUDO = {"AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition",
          "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix"}
problems = []


def problem(path, msg):
    problems.append("%s: %s" % (path, msg))


class CfnLoader(yaml.SafeLoader):
    """A YAML loader that keeps CloudFormation's short tags as {"Fn::X": value}."""


def _cfn_tag(loader, suffix, node):
    name = "Ref" if suffix == "Ref" else "Fn::" + suffix
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


CfnLoader.add_multi_constructor("!", _cfn_tag)


def walk(x):
    yield x
    if isinstance(x, dict):
        for v in x.values():
            yield from walk(v)
    elif isinstance(x, list):
        for v in x:
            yield from walk(v)


def check_cfn(path, t):
    for key in ("AWSTemplateFormatVersion", "Description", "Parameters", "Resources", "Outputs"):
        if key not in t:
            problem(path, "no %s section" % key)
    params, res = set(t.get("Parameters", {})), t.get("Resources", {})
    names = params | set(res) | PSEUDO
    for name, r in res.items():
        if "Type" not in r or not str(r["Type"]).startswith("AWS::"):
            problem(path, "resource %s has no AWS:: Type" % name)
    for node in walk(t):
        if not isinstance(node, dict):
            continue
        if "Ref" in node and node["Ref"] not in names:
            problem(path, "Ref to unknown %r" % node["Ref"])
        if "Fn::GetAtt" in node and node["Fn::GetAtt"][0] not in res:
            problem(path, "GetAtt of unknown resource %r" % node["Fn::GetAtt"][0])
        if "Fn::Sub" in node:
            s = node["Fn::Sub"]
            if isinstance(s, list):
                s = s[0]
            for ref in re.findall(r"\$\{([^!}][^}]*)\}", s):
                if ref not in names and ref.split(".")[0] not in res:
                    problem(path, "Sub names unknown %r" % ref)
    script = os.path.join(os.path.dirname(path), "user-data.sh")
    with open(script) as f:
        is_class = "dlnb-class.service" in f.read()
    # A single-user instance is reached by an SSH tunnel only; a class on HTTPS, SSH optional.
    public = {(443, 443)} if is_class else {(22, 22)}
    for name, r in res.items():
        if r.get("Type") == "AWS::EC2::SecurityGroup":
            for rule in r["Properties"].get("SecurityGroupIngress", []):
                if (rule.get("FromPort"), rule.get("ToPort")) not in public:
                    problem(path, "%s opens a port other than %s: %s" % (name, sorted(public), rule))
        if r.get("Type") == "AWS::EC2::SecurityGroupIngress":
            p = r["Properties"]
            if not is_class or (p.get("FromPort"), p.get("ToPort")) != (22, 22) or "Condition" not in r:
                problem(path, "%s: an extra ingress rule may only be a class's optional SSH (with a Condition)" % name)
    # The user data must be user-data.sh below its settings block.
    script = os.path.join(os.path.dirname(path), "user-data.sh")
    marker = "# --- end of settings ---\n"
    uds = [n["Fn::Base64"]["Fn::Sub"] for n in walk(t)
           if isinstance(n, dict) and isinstance(n.get("Fn::Base64"), dict) and "Fn::Sub" in n["Fn::Base64"]]
    if len(uds) != 1:
        problem(path, "expected one UserData Fn::Base64 !Sub block, found %d" % len(uds))
    else:
        with open(script) as f:
            want = f.read().split(marker, 1)[1]
        got = uds[0].split(marker, 1)[1] if marker in uds[0] else ""
        if got.strip() != want.strip():
            problem(path, "UserData differs from %s below %r: copy the script in again" % (script, marker.strip()))
        if is_class:
            if "systemctl enable --now dlnb-class.service" not in want:
                problem(script, "the class instance must start docker/class/start.sh (dlnb-class.service)")
        elif "-p 127.0.0.1:8888:8888" not in want:
            problem(script, "Jupyter must be published on 127.0.0.1 only")
        if "${" in want:
            problem(script, "the body uses ${...}, which CloudFormation's !Sub would replace")


def check_z2jh(path, v):
    su = v.get("singleuser", {})
    if not su.get("image", {}).get("name") or not str(su.get("image", {}).get("tag", "")):
        problem(path, "singleuser.image.name and tag are required")
    if su.get("uid") != 1000 or su.get("fsGid") != 100:
        problem(path, "singleuser.uid must be 1000 and fsGid 100 (docker-stacks)")
    if su.get("storage", {}).get("homeMountPath") != "/home/jovyan":
        problem(path, "the home volume must be mounted on /home/jovyan")
    if not v.get("cull", {}).get("enabled") or not v["cull"].get("timeout"):
        problem(path, "idle culling must be enabled with a timeout")
    for key in ("cpu", "memory"):
        if not su.get(key, {}).get("limit"):
            problem(path, "singleuser.%s.limit is required" % key)
    check_auth(path, v)


def check_auth(path, v):
    """Defaults authenticate each person: a shared password (the dummy
    authenticator, allow_all) only in a file named for a trial."""
    config = v.get("hub", {}).get("config", {})
    auth = str(config.get("JupyterHub", {}).get("authenticator_class", ""))
    trial = "trial" in os.path.basename(path)
    shared = auth in ("dummy", "dummyauthenticator.DummyAuthenticator") or "DummyAuthenticator" in config \
        or config.get("Authenticator", {}).get("allow_all")
    if shared and not trial:
        problem(path, "a shared password (dummy authenticator or allow_all) belongs in a file named *trial*, not in the defaults")
    if not shared and not trial and not auth:
        problem(path, "hub.config.JupyterHub.authenticator_class is not set: the chart's default is a dummy login")


def check_ecs(path, d):
    if d.get("networkMode") != "awsvpc" or "FARGATE" not in d.get("requiresCompatibilities", []):
        problem(path, "a Fargate task needs networkMode awsvpc and FARGATE")
    c = d.get("containerDefinitions", [{}])[0]
    if {"containerPort": 8888, "protocol": "tcp"} not in c.get("portMappings", []):
        problem(path, "the container must expose 8888")
    if not any(s.get("name") == "JUPYTER_TOKEN" for s in c.get("secrets", [])):
        problem(path, "the token must come from a secret (JUPYTER_TOKEN)")
    mounts = {m["sourceVolume"]: m["containerPath"] for m in c.get("mountPoints", [])}
    efs = [v["name"] for v in d.get("volumes", []) if "efsVolumeConfiguration" in v]
    if not any(mounts.get(n) == "/home/jovyan" for n in efs):
        problem(path, "the home (/home/jovyan) must be on an EFS volume")


def check_sagemaker(path, d):
    jl = d.get("JupyterLabAppImageConfig", {})
    fs = jl.get("FileSystemConfig", {})
    if (fs.get("DefaultUid"), fs.get("DefaultGid"), fs.get("MountPath")) != (1000, 100, "/home/sagemaker-user"):
        problem(path, "FileSystemConfig must be UID 1000, GID 100, /home/sagemaker-user")
    args = jl.get("ContainerConfig", {}).get("ContainerArguments", [])
    if "--ServerApp.base_url=/jupyterlab/default" not in args:
        problem(path, "JupyterLab must serve under /jupyterlab/default")


def main(root):
    checked = 0
    for dirpath, _, files in sorted(os.walk(root)):
        for name in sorted(files):
            path = os.path.join(dirpath, name)
            try:
                if name.endswith((".yaml", ".yml")):
                    with open(path) as f:
                        text = f.read()
                    if "AWSTemplateFormatVersion" in text:
                        check_cfn(path, yaml.load(text, Loader=CfnLoader))
                    else:
                        data = yaml.safe_load(text)
                        if "singleuser" in data:
                            check_z2jh(path, data)
                elif name.endswith(".json"):
                    with open(path) as f:
                        data = json.load(f)
                    if "containerDefinitions" in data:
                        check_ecs(path, data)
                    elif "JupyterLabAppImageConfig" in data:
                        check_sagemaker(path, data)
                else:
                    continue
            except (yaml.YAMLError, json.JSONDecodeError, KeyError, IndexError, TypeError) as e:
                problem(path, "does not parse or lacks a required part: %s" % e)
            checked += 1
    if checked < 4:
        problem(root, "expected at least 4 templates, found %d" % checked)
    for p in problems:
        print("check_deploy: " + p, file=sys.stderr)
    if problems:
        sys.exit(1)
    print("check_deploy: %d templates parse and hold what their guides promise" % checked)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
