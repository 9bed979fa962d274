// SPDX-License-Identifier: GPL-2.0
/*
 * The end-to-end guest's stand-in for the NVIDIA driver's device registration: it registers the
 * character-device regions the real driver registers, under the same names and major numbers
 * (195 "nvidia-frontend"; "nvidia-uvm" and "nvidia-caps" on majors the kernel picks), so that
 * /proc/devices reads as on a GPU guest and systemd's DeviceAllow=char-NAME entries resolve. It adds
 * no device behind them: opening a node that the cgroup lets through fails with ENXIO.
 */
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/module.h>

#define NVIDIA_MAJOR 195

static char *frontend_name = "nvidia-frontend";
module_param(frontend_name, charp, 0444);
MODULE_PARM_DESC(frontend_name, "the name major 195 is registered under (newer drivers: nvidia)");

static dev_t uvm;
static dev_t caps;

static int __init fake_nvidia_init(void)
{
	int err = register_chrdev_region(MKDEV(NVIDIA_MAJOR, 0), 256, frontend_name);

	if (err)
		return err;
	err = alloc_chrdev_region(&uvm, 0, 2, "nvidia-uvm");
	if (err)
		goto no_uvm;
	err = alloc_chrdev_region(&caps, 0, 256, "nvidia-caps");
	if (err)
		goto no_caps;
	return 0;
no_caps:
	unregister_chrdev_region(uvm, 2);
no_uvm:
	unregister_chrdev_region(MKDEV(NVIDIA_MAJOR, 0), 256);
	return err;
}

static void __exit fake_nvidia_exit(void)
{
	unregister_chrdev_region(caps, 256);
	unregister_chrdev_region(uvm, 2);
	unregister_chrdev_region(MKDEV(NVIDIA_MAJOR, 0), 256);
}

module_init(fake_nvidia_init);
module_exit(fake_nvidia_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("system-status e2e: NVIDIA device names in /proc/devices, no devices");
